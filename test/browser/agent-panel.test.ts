import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ensureWebBuilt, launchBrowser, nekoState, openChatPage, startNeko, type BrowserContext, type ChatPage, type Page, type Services, type TestBrowser } from '../support/browser.js';
import { http, ROOT, waitFor } from '../support/services.js';

/**
 * The agent panel and task HUD against the real stack: main + memory + agent, the offline `sim` playing both
 * the character and the agent's planner, and a real MCP server from npm (server-everything over stdio) added
 * through the panel's own editor.
 */
let neko: Services;
let chromium: TestBrowser;
let context: BrowserContext;
let chat: ChatPage;
let page: Page;

const EVERYTHING = join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const panel = () => page.locator('dialog.agent-panel');
const row = (flag: string) => page.locator(`.agent-switch[data-flag="${flag}"]`);
const card = (status: string, text: string | RegExp) => page.locator(`.agent-task[data-status="${status}"]`, { hasText: text });

/** mcp_servers.json as the agent wrote it (empty until the first server is added). */
function mcpOnDisk(): { mcpServers: Record<string, any> } {
  const file = join(neko.dataDir, 'config', 'mcp_servers.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { mcpServers: {} };
}

async function openPanel(p: Page = page): Promise<void> {
  await p.click('#agent-button');
  await p.locator('dialog.agent-panel[open]').waitFor();
  // The switches show the agent's answer once the overview has arrived.
  await p.locator('.agent-switch[data-flag="agent"] .agent-pill:not(:empty)').waitFor();
}

async function say(text: string): Promise<void> {
  if (await panel().getAttribute('open') !== null) await page.click('.agent-close');
  await page.fill('#message-input', text);
  await page.press('#message-input', 'Enter');
}

before(async () => {
  ensureWebBuilt();
  // No display for the agent: computer use must say so. The offline sim is the agent's model too.
  neko = await startNeko({ NEKO_ASSIST_API: 'sim', DISPLAY: '', NEKO_AGENT_DISPLAY: '' }, { agent: true });
  chromium = await launchBrowser();
  context = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  chat = await openChatPage(context, `${neko.main.url}/`);
  page = chat.page;
  await waitFor('the socket to open', async () => (await nekoState(page)).socket.state === 'open', 15_000);
});

after(async () => {
  await context?.close();
  await chromium?.close();
  await neko?.stop();
});

test('the panel shows each switch with its availability and the reasons it cannot work', { timeout: 60_000 }, async () => {
  assert.equal(await page.locator('#agent-chip').getAttribute('data-running'), '0', 'the chip is there with nothing running');
  assert.equal(await page.locator('#agent-button').getAttribute('aria-label'), 'Agent and background tasks');
  await openPanel();
  assert.equal(await page.locator('#agent-switch-agent').isChecked(), false);
  for (const flag of ['mcp_enabled', 'browser_use_enabled', 'computer_use_enabled', 'user_plugin_enabled']) {
    assert.equal(await page.locator(`#agent-switch-${flag}`).isDisabled(), true, `${flag} waits for the agent switch`);
    await row(flag).getByText('Turn on the agent first.').waitFor();
  }
  await row('computer_use_enabled').getByText('There is no desktop display to control on this computer.').waitFor();
  assert.equal(await row('computer_use_enabled').getAttribute('data-ready'), 'false');
  await row('user_plugin_enabled').getByText('neko has no plugin server; add MCP servers instead.').waitFor();
  assert.equal(await page.locator('.agent-mcp .agent-empty').textContent(), 'No MCP servers yet.');
  assert.deepEqual(chat.problems.problems, []);
});

test('switching the agent and MCP tools on sticks (the server says so, and a reload shows it)', { timeout: 60_000 }, async () => {
  await page.click('#agent-switch-agent');
  await page.locator('#agent-switch-agent:checked').waitFor();
  await page.locator('#agent-switch-mcp_enabled:not([disabled])').waitFor();
  await page.click('#agent-switch-mcp_enabled');
  await page.locator('#agent-switch-mcp_enabled:checked').waitFor();
  await row('mcp_enabled').getByText('No MCP server yet: add one below.').waitFor();
  // Computer use stays locked: it cannot work here, so it cannot be switched on.
  assert.equal(await page.locator('#agent-switch-computer_use_enabled').isDisabled(), true);

  const flags = await http(`${neko.main.url}/api/agent/flags`);
  assert.equal(flags.body.analyzer_enabled, true);
  assert.equal(flags.body.agent_flags.mcp_enabled, true);
  assert.equal(flags.body.agent_flags.computer_use_enabled, false);

  await page.reload();
  await waitFor('the socket to open again', async () => (await nekoState(page)).socket.state === 'open', 15_000);
  await openPanel();
  assert.equal(await page.locator('#agent-switch-agent').isChecked(), true);
  assert.equal(await page.locator('#agent-switch-mcp_enabled').isChecked(), true);
  assert.deepEqual(chat.problems.problems, []);
});

test('the MCP editor refuses a bad entry, then adds server-everything, which connects with its tools', { timeout: 60_000 }, async () => {
  const form = page.locator('.agent-mcp-form');
  await page.click('.agent-mcp-add');
  await form.waitFor();
  assert.equal(await page.evaluate('document.activeElement.name'), 'name', 'the name field has the focus');
  await form.getByLabel('Name', { exact: true }).fill('no spaces allowed');
  await form.getByLabel('Command', { exact: true }).fill('node');
  await form.getByRole('button', { name: 'Save' }).click();
  await form.getByText('The name may only use letters, digits').waitFor();
  await form.getByLabel('Name', { exact: true }).fill('everything');
  await form.getByLabel('Environment, one NAME=value per line').fill('NOT A PAIR');
  await form.getByRole('button', { name: 'Save' }).click();
  await form.getByText('Line 1 of the environment is not NAME=value.').waitFor();
  assert.equal(mcpOnDisk().mcpServers.everything, undefined, 'nothing saved');

  await form.getByLabel('Environment, one NAME=value per line').fill('EVERYTHING_DEMO_TOKEN=abcdefghijklmnopqrstuvwxyz');
  await form.getByLabel('Command', { exact: true }).fill(process.execPath);
  await form.getByLabel('Arguments, one per line').fill(`${EVERYTHING}\nstdio`);
  await form.getByRole('button', { name: 'Save' }).click();
  await form.waitFor({ state: 'hidden' });

  const server = page.locator('.agent-mcp-server[data-server="everything"]');
  await page.locator('.agent-mcp-server[data-server="everything"][data-state="ready"]').waitFor({ timeout: 30_000 });
  const tools = Number((await server.locator('summary').textContent())!.match(/\d+/)![0]);
  assert.ok(tools > 5, `server-everything offers ${tools} tools`);
  await server.locator('summary').click();
  await server.getByText('get-sum', { exact: true }).waitFor();
  // The secret is on disk but never shown on the page.
  const onDisk = mcpOnDisk();
  assert.deepEqual(onDisk.mcpServers.everything.args, [EVERYTHING, 'stdio']);
  assert.equal(onDisk.mcpServers.everything.env.EVERYTHING_DEMO_TOKEN, 'abcdefghijklmnopqrstuvwxyz');
  assert.ok(!(await page.content()).includes('abcdefghijklmnopqrstuvwxyz'));
  // The MCP switch now says how many tools there are, and is ready.
  await page.locator(`.agent-switch[data-flag="mcp_enabled"][data-ready="true"] .agent-pill`, { hasText: `Tools: ${tools}` }).waitFor({ timeout: 10_000 });

  // Editing keeps the hidden value: the form shows it masked and saving sends the mask back.
  await server.getByRole('button', { name: 'Edit everything' }).click();
  assert.match(await form.getByLabel('Environment, one NAME=value per line').inputValue(), /^EVERYTHING_DEMO_TOKEN=••••/);
  await form.getByRole('button', { name: 'Save' }).click();
  await form.waitFor({ state: 'hidden' });
  const again = mcpOnDisk();
  assert.equal(again.mcpServers.everything.env.EVERYTHING_DEMO_TOKEN, 'abcdefghijklmnopqrstuvwxyz');
  await page.locator('.agent-mcp-server[data-server="everything"][data-state="ready"]').waitFor({ timeout: 30_000 });
  assert.deepEqual(chat.problems.problems, []);
});

test('a request in the chat starts an MCP task: the HUD shows it running, then done with its result', { timeout: 90_000 }, async () => {
  await say('Please trigger a long running operation for 4 seconds with 4 steps');
  // The chip counts it while it runs.
  await page.locator('#agent-chip[data-running="1"]').waitFor({ timeout: 30_000 });
  assert.match((await page.locator('#agent-chip').getAttribute('aria-label'))!, /Background tasks running: 1/);
  await page.click('#agent-chip');
  await page.locator('dialog.agent-panel[open]').waitFor();
  const running = card('running', 'long running operation');
  await running.waitFor({ timeout: 10_000 });
  assert.equal(await running.locator('.agent-task-kind').textContent(), 'MCP');
  assert.match((await running.locator('.agent-task-tool').textContent())!, /everything › trigger-long-running-operation/);
  assert.equal(await running.locator('progress').isVisible(), true, 'a progress bar while it runs');
  await running.locator('.agent-task-clock', { hasText: /Running for 0:0[1-9]/ }).waitFor({ timeout: 10_000 });
  assert.equal(await running.getByRole('button', { name: /Cancel the task/ }).isVisible(), true);

  const done = card('completed', 'long running operation');
  await done.waitFor({ timeout: 30_000 });
  // The update says "completed"; the answer itself is read from the task's record right after.
  await done.locator('.agent-task-outcome', { hasText: /Long running operation completed/i }).waitFor({ timeout: 10_000 });
  assert.equal(await done.locator('progress').isVisible(), false);
  assert.match((await done.locator('.agent-task-clock').textContent())!, /^Took 0:(0[3-9]|[1-5]\d)$/, 'a 4 s operation took at least 3 s');
  await page.locator('#agent-chip[data-running="0"]').waitFor();

  const skippedBefore = neko.agent!.logs.filter((l) => l.event === 'analyze_skipped').length;
  await say('What is the sum of 17 and 25?');
  await page.click('#agent-chip');
  const sum = card('completed', 'sum of 17 and 25');
  await sum.waitFor({ timeout: 30_000 });
  await sum.locator('.agent-task-outcome', { hasText: '42' }).waitFor({ timeout: 10_000 });
  // The character's reply reporting the result is a turn too; it must not start the same task again.
  await waitFor('the reporting turn analysed and skipped', () => neko.agent!.logs.filter((l) => l.event === 'analyze_skipped').length > skippedBefore, 30_000);
  assert.equal(await page.locator('.agent-task', { hasText: 'sum of 17 and 25' }).count(), 1);
  // Both came live over the chat socket.
  const updates = chat.received.filter((r) => r.message.type === 'agent_task_update').map((r) => r.message.task.status);
  assert.ok(updates.includes('running') && updates.includes('completed'), updates.join(','));
  assert.deepEqual(chat.problems.problems, []);
});

/** The accessibility tree's view of an element (Chromium's, over CDP): role, value and properties such as valuemax. */
async function axNode(p: Page, selector: string): Promise<{ role: string; value: unknown; props: Record<string, unknown> }> {
  const cdp = await p.context().newCDPSession(p);
  try {
    const { result } = await cdp.send('Runtime.evaluate', { expression: `document.querySelector(${JSON.stringify(selector)})` });
    const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { objectId: result.objectId, fetchRelatives: false });
    const node = nodes[0]!;
    return { role: String(node.role?.value), value: node.value?.value, props: Object.fromEntries((node.properties ?? []).map((x) => [x.name, x.value.value])) };
  } finally {
    await cdp.detach();
  }
}

test('a long MCP task shows its progress as a determinate bar; cancelling it from the HUD stops it', { timeout: 90_000 }, async () => {
  await say('Trigger a long running operation for 40 seconds with 40 steps');
  await page.locator('#agent-chip[data-running="1"]').waitFor({ timeout: 30_000 });
  await page.click('#agent-chip');
  const running = card('running', '40 seconds');
  await running.waitFor({ timeout: 10_000 });
  const id = (await running.getAttribute('data-task-id'))!;
  // The server reports each of its 40 steps (MCP progress notifications): the bar says how far it is.
  await running.locator('.agent-task-stage', { hasText: /Step \d+ of 40/ }).waitFor({ timeout: 15_000 });
  const bar = await axNode(page, `.agent-task[data-task-id="${id}"] .agent-task-progress`);
  assert.equal(bar.role, 'progressbar');
  assert.ok(typeof bar.value === 'number' && bar.value > 0 && bar.value < 1, `aria-valuenow ${bar.value}`);
  assert.equal(bar.props.valuemin, 0);
  assert.equal(bar.props.valuemax, 1);
  // (CDP leaves valuetext empty even where it is set, so the attribute is read from the page.)
  assert.match((await running.locator('.agent-task-progress').getAttribute('aria-valuetext'))!, /^\d+% · Step \d+ of 40 · everything\/trigger-long-running-operation$/);
  assert.equal(await running.getByRole('progressbar').count(), 1);
  await running.getByRole('button', { name: /Cancel the task/ }).click();
  const cancelled = page.locator(`.agent-task[data-task-id="${id}"][data-status="cancelled"]`);
  await cancelled.waitFor({ timeout: 10_000 });
  assert.match((await cancelled.locator('.agent-task-outcome').textContent())!, /cancelled/i);
  await page.locator('#agent-chip[data-running="0"]').waitFor();
  const record = await http(`${neko.main.url}/api/agent/tasks/${id}`);
  assert.equal(record.body.status, 'cancelled');
  assert.deepEqual(chat.problems.problems, []);
});

test('after main restarts the HUD keeps its tasks, and a task that finished meanwhile shows as finished', { timeout: 120_000 }, async () => {
  await say('Trigger a long running operation for 8 seconds with 8 steps');
  await page.click('#agent-chip');
  const running = card('running', '8 seconds');
  await running.waitFor({ timeout: 30_000 });
  const id = (await running.getAttribute('data-task-id'))!;
  const before = await page.locator('.agent-task').count();
  const sockets = chat.sockets.length;
  await neko.restartMain();
  await waitFor('the page back on a new socket', async () => chat.sockets.length > sockets && (await nekoState(page)).socket.state === 'open', 30_000);
  await page.locator(`.agent-task[data-task-id="${id}"][data-status="completed"]`).waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('.agent-task').count(), before, 'the same tasks after the reconnect');
  await card('completed', 'sum of 17 and 25').waitFor();
  // Chromium reports the requests main's kill reset and the attempts refused while it was down; those are expected.
  assert.deepEqual(chat.problems.problems.filter((p) => !/WebSocket connection to .* failed|ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET|ERR_EMPTY_RESPONSE/.test(p)), []);

  // A page opened now gets the finished tasks, with their results, from the server alone.
  const fresh = await openChatPage(context, `${neko.main.url}/`);
  await openPanel(fresh.page);
  const sum = fresh.page.locator('.agent-task[data-status="completed"]', { hasText: 'sum of 17 and 25' });
  await sum.waitFor({ timeout: 10_000 });
  assert.match((await sum.locator('.agent-task-outcome').textContent())!, /42/);
  // Dismissing takes a task off the HUD and it stays off after a reload.
  await sum.getByRole('button', { name: /Dismiss the task/ }).click();
  await sum.waitFor({ state: 'detached' });
  await fresh.page.reload();
  await openPanel(fresh.page);
  await fresh.page.locator('.agent-task[data-status="completed"]').first().waitFor();
  assert.equal(await fresh.page.locator('.agent-task', { hasText: 'sum of 17 and 25' }).count(), 0);
  assert.deepEqual(fresh.problems.problems, []);
  await fresh.page.close();
});

test('on a phone the panel is a full-screen sheet with nothing overflowing, every control named', { timeout: 60_000 }, async () => {
  const phone = await chromium.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US', isMobile: true, hasTouch: true });
  const { page: p, problems } = await openChatPage(phone, `${neko.main.url}/`);
  const chip = (await p.locator('#agent-chip').boundingBox())!;
  assert.ok(chip.x >= 0 && chip.x + chip.width <= 390, `chip on screen: ${JSON.stringify(chip)}`);
  await openPanel(p);
  await p.locator('.agent-mcp-server[data-server="everything"]').waitFor();
  await p.click('.agent-mcp-add');
  const box = (await p.locator('dialog.agent-panel').boundingBox())!;
  assert.ok(box.x === 0 && Math.round(box.width) === 390 && Math.round(box.height) === 844, `full screen: ${JSON.stringify(box)}`);
  const overflow: { page: number; sheet: number; sheetClient: number; wide: string[] } = await p.evaluate(`(() => {
    const sheet = document.querySelector('.agent-sheet');
    const wide = [...sheet.querySelectorAll('*')].filter((el) => el.getBoundingClientRect().right > innerWidth + 0.5).map((el) => el.className || el.tagName);
    return { page: document.documentElement.scrollWidth, sheet: sheet.scrollWidth, sheetClient: sheet.clientWidth, wide };
  })()`);
  assert.ok(overflow.page <= 390, `page is ${overflow.page}px wide`);
  assert.ok(overflow.sheet <= overflow.sheetClient, `the sheet scrolls sideways: ${overflow.sheet} > ${overflow.sheetClient}`);
  assert.deepEqual(overflow.wide, []);
  const unnamed: string[] = await p.evaluate(`[...document.querySelectorAll('dialog.agent-panel button, dialog.agent-panel input, dialog.agent-panel textarea, #agent-chip, #agent-button')]
    .filter((el) => !(el.getAttribute('aria-label') || el.textContent.trim() || (el.id && document.querySelector('label[for="' + el.id + '"]')) || el.closest('label')))
    .map((el) => el.outerHTML.slice(0, 80))`);
  assert.deepEqual(unnamed, []);
  // Keyboard: Escape closes the sheet and the focus goes back to where it was.
  await p.keyboard.press('Escape');
  await p.locator('dialog.agent-panel[open]').waitFor({ state: 'detached' });
  assert.equal(await p.evaluate("document.activeElement && document.activeElement.id"), 'agent-button');
  assert.deepEqual(problems.problems, []);
  await phone.close();
});

test('screenshot: the panel open with a finished task (docs/screenshot-agent.png with NEKO_UPDATE_SCREENSHOTS=1)', { timeout: 60_000 }, async () => {
  const dir = process.env.NEKO_UPDATE_SCREENSHOTS ? join(ROOT, 'docs') : join(tmpdir(), 'neko-screenshots');
  mkdirSync(dir, { recursive: true });
  const ctx = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', colorScheme: 'light' });
  const { page: p, problems } = await openChatPage(ctx, `${neko.main.url}/`);
  await p.locator('#avatar-stage[data-avatar="ready"]').waitFor({ timeout: 20_000 });
  await waitFor('the socket to open', async () => (await nekoState(p)).socket.state === 'open', 15_000);
  // Earlier tests' tasks off the HUD, so the picture shows one task, the switches and the server list.
  await openPanel(p);
  await p.locator('.agent-task').first().waitFor();
  await p.click('.agent-tasks-clear');
  await p.locator('.agent-tasks-wrap .agent-empty').waitFor();
  await p.click('.agent-close');
  await p.fill('#message-input', 'What is the sum of 19 and 23?');
  await p.press('#message-input', 'Enter');
  await p.locator('.bubble-assistant:not(.streaming)').first().waitFor({ timeout: 20_000 });
  await openPanel(p);
  await p.locator('.agent-task[data-status="completed"] .agent-task-outcome', { hasText: '42' }).waitFor({ timeout: 30_000 });
  await p.locator('.agent-mcp-server[data-state="ready"]').waitFor({ timeout: 10_000 });
  await p.evaluate("document.querySelectorAll('.toast').forEach((t) => t.remove())");
  const file = join(dir, 'screenshot-agent.png');
  await p.screenshot({ path: file });
  console.log(`# screenshot: ${file}`);
  assert.deepEqual(problems.problems, []);
  await ctx.close();
});
