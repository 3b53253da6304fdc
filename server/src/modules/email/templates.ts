import { ROLE_LABELS, type Role } from '@portico/shared';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** The invitation email: who invited you, to what, as which role, and the link (valid for `days`). */
export function invitationEmail(opts: { inviter: string; workspace: string; role: Role; link: string; days: number }) {
  const role = ROLE_LABELS[opts.role];
  const subject = `${opts.inviter} invited you to ${opts.workspace} on Portico`;
  const text = [
    `${opts.inviter} invited you to join ${opts.workspace} on Portico as ${role}.`,
    '',
    `Accept the invitation: ${opts.link}`,
    '',
    `The link works for ${opts.days} days. If you did not expect this email, you can ignore it.`,
  ].join('\n');
  const html = `<p>${escapeHtml(opts.inviter)} invited you to join <strong>${escapeHtml(opts.workspace)}</strong> on Portico as <strong>${role}</strong>.</p>
<p><a href="${escapeHtml(opts.link)}">Accept the invitation</a></p>
<p>The link works for ${opts.days} days. If you did not expect this email, you can ignore it.</p>`;
  return { subject, text, html };
}
