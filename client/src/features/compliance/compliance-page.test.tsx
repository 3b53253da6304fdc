import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderScreen } from '../../test/render-screen';
import { ComplianceQuery as Query, CompliancePage } from './compliance-page';

const documents = (canDownload: boolean) => [{
  request: { query: Query },
  result: { data: { viewer: { __typename: 'Viewer', workspace: { __typename: 'Workspace', id: 'workspace_1', complianceDocuments: [
    { __typename: 'ComplianceDocument', id: 'security-overview', title: 'Security overview', description: 'How Portico protects identity data.', fileName: 'portico-security-overview.pdf', sizeBytes: 7299, canDownload, downloadUrl: '/compliance/documents/security-overview' },
  ] } } } },
}];

describe('Compliance page', () => {
  it('gives Admins a download link to the PDF', async () => {
    renderScreen(<CompliancePage />, { mocks: documents(true) });
    const link = await screen.findByRole('link', { name: 'Download' });
    expect(link.getAttribute('href')).toBe('/compliance/documents/security-overview');
    expect(screen.getByText('PDF · 7 KB')).toBeTruthy();
  });

  it('tells other roles who can download, instead of showing a broken button', async () => {
    renderScreen(<CompliancePage />, { role: 'SUPPORT', mocks: documents(false) });
    expect(await screen.findByText(/Only workspace Admins can download compliance documents/)).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Download' })).toBeNull();
    expect(screen.getByText('Admins only')).toBeTruthy();
  });
});
