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

/** The sign-up confirmation for an address with no account: the link that creates it (valid for `hours`). */
export function signUpConfirmationEmail(opts: { name: string; workspace: string; link: string; hours: number }) {
  const subject = 'Confirm your email to finish creating your Portico account';
  const text = [
    `Hi ${opts.name},`,
    '',
    `Open this link and enter the password you chose to confirm your email address and create your Portico account with the workspace ${opts.workspace}:`,
    opts.link,
    '',
    `The link works once, for ${opts.hours} hours. If you did not sign up for Portico, ignore this email: nothing is created without the password chosen at sign-up.`,
  ].join('\n');
  const html = `<p>Hi ${escapeHtml(opts.name)},</p>
<p>Confirm your email address to create your Portico account with the workspace <strong>${escapeHtml(opts.workspace)}</strong>. The link asks for the password you chose.</p>
<p><a href="${escapeHtml(opts.link)}">Confirm and create my account</a></p>
<p>The link works once, for ${opts.hours} hours. If you did not sign up for Portico, ignore this email: nothing is created without the password chosen at sign-up.</p>`;
  return { subject, text, html };
}

/**
 * What an address that already has an account gets when someone signs up with it: no link that does anything,
 * only the way back in. The person who signed up sees the same "check your email" either way.
 */
export function signUpAttemptEmail(opts: { signInLink: string }) {
  const subject = 'Someone tried to sign up for Portico with your email address';
  const text = [
    'Someone tried to create a Portico account with this email address, but you already have one.',
    '',
    `If it was you, sign in instead: ${opts.signInLink}`,
    'If you have forgotten your password, ask an Admin of your Portico installation to help you back in.',
    '',
    'If it was not you, you can ignore this email: nothing was created and your account is unchanged.',
  ].join('\n');
  const html = `<p>Someone tried to create a Portico account with this email address, but you already have one.</p>
<p>If it was you, <a href="${escapeHtml(opts.signInLink)}">sign in instead</a>. If you have forgotten your password, ask an Admin of your Portico installation to help you back in.</p>
<p>If it was not you, you can ignore this email: nothing was created and your account is unchanged.</p>`;
  return { subject, text, html };
}

const INTENT_WORDS: Record<string, string> = { sso: 'single sign-on', dsync: 'directory sync', domain_verification: 'domain verification', certificate_renewal: 'the SAML certificate renewal' };

/** The Admin Portal invitation to a customer's IT admin: what to set up, for whom, and the link (valid for `days`). */
export function portalInviteEmail(opts: { team: string; organization: string; intent: string; link: string; days: number; supportEmail: string | null }) {
  const what = INTENT_WORDS[opts.intent] ?? opts.intent;
  const subject = `${opts.team}: set up ${what} for ${opts.organization}`;
  const help = opts.supportEmail ? `Questions? Reply to this email or write to ${opts.supportEmail}.` : 'Questions? Reply to the person who asked you to set this up.';
  const text = [
    `${opts.team} asks you to set up ${what} for ${opts.organization}.`,
    '',
    `Open the setup portal: ${opts.link}`,
    '',
    `The link works for ${opts.days} days or until setup is complete. It needs no account.`,
    help,
  ].join('\n');
  const html = `<p>${escapeHtml(opts.team)} asks you to set up ${escapeHtml(what)} for <strong>${escapeHtml(opts.organization)}</strong>.</p>
<p><a href="${escapeHtml(opts.link)}">Open the setup portal</a></p>
<p>The link works for ${opts.days} days or until setup is complete. It needs no account.</p>
<p>${escapeHtml(help)}</p>`;
  return { subject, text, html };
}
