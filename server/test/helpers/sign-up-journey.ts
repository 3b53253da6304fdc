import type { Page } from 'playwright-core';
import { printedConfirmationLink, type PorticoProcess } from './process';

/**
 * The sign-up a new user makes in the browser: the form, "Check your email", then the confirmation link (which a
 * Portico without SMTP prints on its console) opened in the same browser, the password chosen at sign-up given
 * again, landing on the Staging overview.
 */
export async function signUpInBrowser(page: Page, portico: PorticoProcess, input: { name: string; email: string; password: string; workspaceName: string }): Promise<void> {
  if (!/\/dashboard\/sign-up/.test(page.url())) await page.goto(`${portico.url}/dashboard/sign-up`);
  await fillSignUpForm(page, input);
  await page.getByRole('heading', { name: 'Check your email' }).waitFor();
  await confirmSignUpInBrowser(page, await waitForPrintedLink(portico, input.email), input.password);
  await page.getByRole('heading', { name: 'Staging overview' }).waitFor();
}

/** Opens a sign-up confirmation link and gives the password (the account is created only with the right one). */
export async function confirmSignUpInBrowser(page: Page, link: string, password: string): Promise<void> {
  await page.goto(link);
  await page.getByText('Enter the password you chose to finish creating your account.').waitFor();
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create my account' }).click();
}

export async function fillSignUpForm(page: Page, input: { name: string; email: string; password: string; workspaceName: string }): Promise<void> {
  await page.getByLabel('Your name').fill(input.name);
  await page.getByLabel('Work email').fill(input.email);
  await page.getByLabel('Password').fill(input.password);
  await page.getByLabel('Workspace name').fill(input.workspaceName);
  await page.getByRole('button', { name: 'Create account' }).click();
}

/** The link printed for `email`, once Portico's console output has it (a pipe may deliver it a moment later). */
export async function waitForPrintedLink(portico: PorticoProcess, email: string, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return printedConfirmationLink(portico.output(), email);
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
