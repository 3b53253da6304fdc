import fs from 'node:fs';
import path from 'node:path';
import express, { type Request, type Response } from 'express';
import { Ctx, Field, FieldResolver, ObjectType, Resolver, Root, Int } from 'type-graphql';
import type { AppDeps, Context, Viewer } from '../../context';
import type { MemberEntity } from '../members/member.entity';
import { findSeat } from '../members/members.service';
import { requirePermissionIn } from '../../context';
import { readSessionCookie } from '../accounts/session-cookie';
import { resolveViewer } from '../accounts/sessions.service';
import { roleCan } from '../workspace/permissions';
import { Workspace } from '../workspace/workspace.type';
import { edgeErrorHandler } from '../../http/edge/error-handler';

const DIR = path.resolve(__dirname, '../../../assets/compliance');

/** The documents Portico ships (their sources are the .txt files beside them; scripts/make-compliance-pdfs.mjs writes the PDFs). */
export const COMPLIANCE_DOCUMENTS = [
  { id: 'security-overview', title: 'Security overview', description: 'How Portico protects identity data: authentication, SAML validation, encryption at rest, tenant isolation, roles.', file: 'security-overview.pdf', downloadName: 'portico-security-overview.pdf' },
  { id: 'data-processing-addendum', title: 'Data Processing Addendum', description: 'A GDPR Article 28 DPA template for operators and their customers.', file: 'data-processing-addendum.pdf', downloadName: 'portico-data-processing-addendum.pdf' },
] as const;

/** The download link names the workspace whose list it came from: the role that counts is the one held there. */
export const complianceDownloadPath = (id: string, workspaceId: string) => `/compliance/documents/${id}?workspace=${encodeURIComponent(workspaceId)}`;

@ObjectType('ComplianceDocument')
class ComplianceDocument {
  @Field() id: string;
  @Field() title: string;
  @Field() description: string;
  @Field() fileName: string;
  @Field(() => Int) sizeBytes: number;
  @Field({ description: 'Only workspace Admins may download compliance documents' }) canDownload: boolean;
  @Field({ description: 'GET with the dashboard session; 403 unless an Admin of the workspace listing it' }) downloadUrl: string;
}

@Resolver(() => Workspace)
export class ComplianceResolver {
  @FieldResolver(() => [ComplianceDocument], { description: 'Compliance documents; every member sees the list, Admins download' })
  async complianceDocuments(@Root() workspace: Workspace, @Ctx() ctx: Context) {
    const seat = await requirePermissionIn(ctx, workspace.id, 'team:view');
    const canDownload = roleCan(seat.role, 'compliance:download');
    return COMPLIANCE_DOCUMENTS.map((d) => Object.assign(new ComplianceDocument(), {
      id: d.id, title: d.title, description: d.description, fileName: d.downloadName, sizeBytes: fs.statSync(path.join(DIR, d.file)).size, canDownload, downloadUrl: complianceDownloadPath(d.id, seat.workspaceId),
    }));
  }
}

/**
 * The seat whose role decides a download: in the workspace the link names (`?workspace=`, as the list writes it),
 * else the session's current workspace. The role is never taken from one workspace for a link listed in another.
 */
async function seatFor(deps: AppDeps, viewer: Viewer, workspace: unknown): Promise<MemberEntity | null | 'not_member'> {
  if (workspace === undefined) return viewer.membership;
  if (typeof workspace !== 'string') return 'not_member';
  if (viewer.membership?.workspaceId === workspace) return viewer.membership;
  return (await findSeat(deps.db, viewer.user.id, workspace)) ?? 'not_member';
}

/**
 * `GET /compliance/documents/:id?workspace=…`: streamed to Admins of that workspace signed in to the dashboard;
 * 401 / 403 / 404 as JSON otherwise.
 */
export function complianceRouter(deps: AppDeps): express.Router {
  const router = express.Router();
  router.get('/compliance/documents/:id', async (req: Request, res: Response, next) => {
    try {
      res.set('Cache-Control', 'private, no-store');
      const viewer = await resolveViewer(deps.db, readSessionCookie(req));
      if (!viewer) {
        res.status(401).json({ code: 'UNAUTHENTICATED', message: 'Sign in to the dashboard to download compliance documents' });
        return;
      }
      const seat = await seatFor(deps, viewer, req.query.workspace);
      if (seat === 'not_member') {
        res.status(404).json({ code: 'NOT_FOUND', message: 'Workspace not found' });
        return;
      }
      if (!seat || !roleCan(seat.role, 'compliance:download')) {
        res.status(403).json({ code: 'FORBIDDEN', reason: 'role_required', message: 'Only workspace Admins can download compliance documents' });
        return;
      }
      const document = COMPLIANCE_DOCUMENTS.find((d) => d.id === req.params.id);
      if (!document) {
        res.status(404).json({ code: 'NOT_FOUND', message: 'No such compliance document' });
        return;
      }
      res.type('application/pdf').attachment(document.downloadName);
      fs.createReadStream(path.join(DIR, document.file)).on('error', next).pipe(res);
    } catch (err) {
      next(err);
    }
  });
  router.use('/compliance', edgeErrorHandler);
  return router;
}
