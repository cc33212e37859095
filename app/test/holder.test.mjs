// The holder's page in a real Chromium (Debian's, driven by playwright-core), used as a person
// uses it, with the test wallet (./wallet.mjs): connect on the wrong network and switch (the
// wallet does not know the chain, so the page adds it), delegate (after a rejected prompt),
// vote in an election round, vote on a live proposal with a reason and see the tally move, sign
// a vote that another account submits, fail to vote after the deadline (the decoded error
// shown), queue and execute after the timelock, request a withdrawal as an operator, and read
// through an RPC that is down. Time moves with the devnode's cheats.
//
// `scripts/tests/app.rs` prepares the chain (deploys the suite, funds the accounts, opens an
// election round with two candidates, registers an operator), serves the page and runs this
// with: DSEQ_APP_URL, DSEQ_NODE_URL, DSEQ_CHROMIUM, DSEQ_SCREENSHOTS and DSEQ_KEYS (a JSON
// object of the keys named below). It prints one line per step and exits non-zero on failure.

import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { createPublicClient, createWalletClient, encodeFunctionData, http, parseAbi } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { TestWallet } from './wallet.mjs';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this through scripts/tests/app.rs`);
  return value;
};
const APP = env('DSEQ_APP_URL');
const NODE = env('DSEQ_NODE_URL');
const SHOTS = env('DSEQ_SCREENSHOTS');
const KEYS = JSON.parse(env('DSEQ_KEYS'));
const UPGRADE = JSON.parse(env('DSEQ_UPGRADE'));
mkdirSync(SHOTS, { recursive: true });

const node = createPublicClient({ transport: http(NODE) });
const chainId = await node.getChainId();
const chain = { id: chainId, name: 'dseq devnode', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [NODE] } } };
const suite = await (await fetch(`${APP}/suite.json`)).json();
const C = suite.contracts;

const governorAbi = parseAbi([
  'function propose(address[] targets, uint256[] values, bytes[] calldatas, string description) returns (uint256)',
  'function state(uint256 id) view returns (uint8)',
  'function proposalDeadline(uint256 id) view returns (uint256)',
  'function proposalSnapshot(uint256 id) view returns (uint256)',
  'function proposalEta(uint256 id) view returns (uint256)',
  'function proposalVotes(uint256 id) view returns (uint256 against, uint256 forVotes, uint256 abstain)',
  'function hashProposal(address[] targets, uint256[] values, bytes[] calldatas, bytes32 descriptionHash) view returns (uint256)',
]);
const rewardsAbi = parseAbi(['function setTreasuryBps(uint16 bps)', 'function treasuryBps() view returns (uint16)']);
const electionAbi = parseAbi([
  'function roundCount() view returns (uint256)',
  'function round(uint256 id) view returns (uint8 phase, uint64 scheduledAt, uint64 openedAt, uint64 votingStart, uint64 votingEnd, uint64 vettingEnd, uint256 candidateCount, uint256 admitted)',
  'function candidates(uint256 id) view returns (address[])',
  'function hasVoted(uint256 id, address candidate, address voter) view returns (bool)',
]);
const votesAbi = parseAbi(['function delegates(address) view returns (address)', 'function getVotes(address) view returns (uint256)']);

/** Moves the devnode's clock to `at` (a timestamp) and mines a block there. */
async function warpTo(at) {
  const block = await node.getBlock();
  const seconds = Number(at) - Number(block.timestamp) + 1;
  if (seconds > 0) await node.request({ method: 'evm_increaseTime', params: [seconds] });
  await node.request({ method: 'evm_mine', params: [] });
}

let step = 0;
function ok(text) {
  step += 1;
  console.log(`ok ${step} - ${text}`);
}
function check(condition, text) {
  if (!condition) throw new Error(`not ok: ${text}`);
}

const browser = await chromium.launch({
  executablePath: env('DSEQ_CHROMIUM'),
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
let rpcDown = false;
page.on('console', (m) => {
  // The requests the test itself aborts (the RPC down) are logged as failed loads.
  if (m.type() === 'error' && !(rpcDown && m.text().includes('ERR_FAILED'))) errors.push(`console: ${m.text()}`);
});
page.setDefaultTimeout(20_000);
const shot = (name) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
const statusText = () => page.textContent('#status');
/** Waits until the status region says `word` (Confirmed, Failed, Cancelled) and returns its text. */
async function outcome(word) {
  await page.waitForFunction((w) => document.querySelector('#status [data-state]')?.textContent?.startsWith(`${w}:`), word);
  return statusText();
}
async function refresh() {
  const before = await page.getAttribute('#view', 'data-block');
  await page.click('#refresh');
  await page.waitForFunction((b) => document.querySelector('#view')?.getAttribute('data-block') !== b, before);
}

const holder = privateKeyToAccount(KEYS.holder).address;
const wallet = new TestWallet({ nodeUrl: NODE, keys: [KEYS.holder, KEYS.signer, KEYS.late, KEYS.operator], chainId });

try {
  await wallet.install(page);
  await page.goto(APP);

  // 1. Connect on the wrong network; the wallet does not know the chain, so the page adds it.
  await page.waitForSelector('button[data-wallet="org.dseq.testwallet"]');
  await shot('connect');
  await page.click('button[data-wallet="org.dseq.testwallet"]');
  await page.waitForSelector('#switch-network');
  check((await page.textContent('#who')).includes('on chain 1: wrong network'), 'the header says the wallet is on the wrong network');
  await page.click('#switch-network');
  await page.waitForFunction((name) => document.querySelector('#who')?.textContent?.includes(`on ${name}`), suite.chainName);
  check(wallet.requests.includes('wallet_addEthereumChain') && wallet.chainId === chainId, 'the page added the chain, then switched to it');
  check(wallet.addedChain.rpcUrls[0] === `${APP}/rpc`, `the chain's RPC is the page's own proxy (${wallet.addedChain.rpcUrls[0]})`);
  ok('connected on the wrong network, the chain added and switched to');

  // 2. The trap: wrapped votes that count for nobody; a rejected prompt; then delegation.
  await page.waitForSelector('#delegate-self');
  check((await page.textContent('#wrapped')).includes('15,000 vMETIS'), 'the wrapped votes show in METIS units');
  check((await page.textContent('#power')).startsWith('0 votes'), 'no voting power before delegating');
  check((await page.textContent('#view')).includes('count for nobody until you delegate them'), 'the trap is explained');
  await shot('account-undelegated');
  wallet.rejectNext = true;
  await page.click('#delegate-self');
  check((await outcome('Cancelled')).includes('You cancelled the request in your wallet'), 'a rejected prompt is said as such');
  ok('the wallet rejected the delegation and the page said so');
  // Retried from the keyboard: the status region's Retry button is a real button.
  await page.focus('#status button');
  await page.keyboard.press('Enter');
  await outcome('Confirmed');
  await page.waitForFunction(() => document.querySelector('#power')?.textContent?.startsWith('15,000 votes'));
  check((await node.readContract({ address: C.votes, abi: votesAbi, functionName: 'delegates', args: [holder] })) === holder, 'the chain records the delegation');
  await shot('account');
  ok('retried: delegated to itself, 15,000 votes');

  // A reload reconnects the wallet the page remembers, without a prompt.
  const prompts = wallet.requests.filter((m) => m === 'eth_requestAccounts').length;
  await page.reload();
  await page.waitForFunction((a) => document.querySelector('#who')?.getAttribute('title') === a, holder);
  check(wallet.requests.filter((m) => m === 'eth_requestAccounts').length === prompts, 'no new prompt after the reload');
  ok('reloaded: the page reconnected the wallet without asking again');

  // 3. The election round: voting opens; vote for one candidate and against the other.
  const roundId = await node.readContract({ address: C.election, abi: electionAbi, functionName: 'roundCount' });
  const round = await node.readContract({ address: C.election, abi: electionAbi, functionName: 'round', args: [roundId] });
  const [first, second] = await node.readContract({ address: C.election, abi: electionAbi, functionName: 'candidates', args: [roundId] });
  // Applications are open: votes will weigh as they stand when voting opens, so the page cannot
  // know the weight or the quorum yet (and must not fail reading them).
  await page.click('nav a[href="#/election"]');
  await page.waitForSelector('#candidates');
  check((await page.textContent('#phase')).startsWith('Applications'), 'the round takes applications');
  check((await page.textContent('#election-weight')).startsWith('known when voting opens'), 'the weight is not known before voting opens');
  await warpTo(round[3]);
  await refresh();
  await page.waitForSelector('#election-vote-submit');
  check((await page.textContent('#phase')).startsWith('Voting'), 'the round is in its voting phase');
  check((await page.textContent('#election-weight')).startsWith('15,000 votes'), 'the holder weighs its votes at the window\'s start');
  await page.check(`input[name="vote-${first}"][value="1"]`);
  await page.check(`input[name="vote-${second}"][value="0"]`);
  await page.click('#election-vote-submit');
  check((await outcome('Confirmed')).includes('Voting on 2 candidates'), 'both votes in one transaction');
  await page.waitForFunction((c) => document.querySelector(`tr[data-candidate="${c}"]`)?.textContent?.includes('you voted'), first);
  const row = await page.textContent(`tr[data-candidate="${first}"]`);
  check(row.includes('15,000') && row.includes('you voted For'), `the candidate's row shows the vote (${row})`);
  check((await page.textContent(`tr[data-candidate="${second}"]`)).includes('you voted Against'), 'the other row shows the vote against');
  check(await node.readContract({ address: C.election, abi: electionAbi, functionName: 'hasVoted', args: [roundId, second, holder] }), 'the chain records the vote against');
  await shot('election');
  ok('voted in the election round: for one candidate, against the other');

  // The round closes; anyone finalizes it and the page lists who was admitted.
  await warpTo(round[5]);
  await refresh();
  await page.waitForSelector('#finalize');
  check((await page.textContent('#phase')).startsWith('Ended'), 'the round has ended');
  await page.click('#finalize');
  await outcome('Confirmed');
  await page.waitForSelector('#admitted');
  const admitted = await page.textContent('#admitted');
  check(admitted.includes(first) && !admitted.includes(second), `the candidate voted for is admitted, the other not (${admitted})`);
  await shot('election-finalized');
  ok('the round was finalized from the page: the candidate voted for was admitted');

  // An upgrade proposal is decoded down to the new code's hash.
  await page.goto(`${APP}/#/proposals/${UPGRADE.id}`);
  await page.waitForSelector('ol.actions');
  const upgrade = await page.textContent('ol.actions');
  check(upgrade.includes('upgradeToAndCall(address,bytes)') && upgrade.includes(UPGRADE.implementation) && upgrade.includes(UPGRADE.codeHash), `the upgrade names its code hash (${upgrade})`);
  ok('an upgrade proposal shows the new implementation and its code hash');

  // 4. A live proposal: the proposer proposes; voting opens a day later.
  const proposer = createWalletClient({ account: privateKeyToAccount(KEYS.proposer), chain, transport: http(NODE) });
  const description = "Lower the treasury's share of rewards to 8%\n\nOperators and LSTs keep 2% more of every batch and fee.";
  const calldata = encodeFunctionData({ abi: rewardsAbi, functionName: 'setTreasuryBps', args: [800] });
  const hash = await proposer.writeContract({ address: C.governor, abi: governorAbi, functionName: 'propose', args: [[C.rewards], [0n], [calldata], description] });
  await node.waitForTransactionReceipt({ hash });
  const { keccak256, toBytes } = await import('viem');
  const id = await node.readContract({ address: C.governor, abi: governorAbi, functionName: 'hashProposal', args: [[C.rewards], [0n], [calldata], keccak256(toBytes(description))] });
  await warpTo(await node.readContract({ address: C.governor, abi: governorAbi, functionName: 'proposalSnapshot', args: [id] }));
  await page.click('nav a[href="#/proposals"]');
  await page.click(`tr[data-proposal="${id}"] a`);
  await page.waitForSelector('#vote-form');
  check((await page.textContent('#proposal-state')) === 'Active', 'the proposal is Active');
  const actions = await page.textContent('ol.actions');
  check(actions.includes('reward-distributor') && actions.includes('setTreasuryBps(uint16)') && actions.includes('800'), `the action is decoded (${actions})`);
  check((await page.textContent('#snapshot-power')).startsWith('15,000 votes'), 'the holder\'s power at the snapshot');
  // From the keyboard: the choice, the reason, then Enter on the Vote button.
  await page.focus('input[name="support"][value="1"]');
  await page.keyboard.press('Space');
  await page.focus('#reason');
  await page.keyboard.type('Operators and LSTs run the network; let them keep more of it.');
  await page.focus('#vote');
  await page.keyboard.press('Enter');
  check((await outcome('Confirmed')).includes('Voting For'), 'the vote is confirmed');
  await page.waitForFunction(() => document.querySelector('#tally tr[data-choice="For"]')?.textContent?.includes('15,000'));
  check((await page.textContent('#has-voted')) === 'yes', 'the page shows the vote');
  await shot('proposal');
  ok('voted For with a reason; the tally moved to 15,000 For');

  // 5. A vote signed by another account (no gas) and submitted by the holder.
  await wallet.select(1);
  await page.waitForFunction((a) => document.querySelector('#who')?.getAttribute('title') === a, wallet.account.address);
  await page.waitForSelector('#sign-vote');
  await page.check('input[name="support"][value="0"]');
  await page.click('#sign-vote');
  await page.waitForSelector('#ballot-json');
  const ballot = await page.textContent('#ballot-json');
  check(wallet.requests.includes('eth_signTypedData_v4'), 'the wallet signed typed data');
  await wallet.select(0);
  await page.waitForFunction((a) => document.querySelector('#who')?.getAttribute('title') === a, holder);
  await page.click('#submit-ballot summary');
  await page.fill('#ballot-submit', ballot);
  await page.click('#submit-signed-vote');
  await outcome('Confirmed');
  await page.waitForFunction(() => document.querySelector('#tally tr[data-choice="Against"]')?.textContent?.includes('5,000'));
  ok('a second account signed a vote Against, the holder submitted it: 5,000 Against');

  // 6. Too late: a voter whose page still shows the form after the deadline gets the decoded refusal.
  await wallet.select(2);
  await page.waitForFunction((a) => document.querySelector('#who')?.getAttribute('title') === a, wallet.account.address);
  await page.waitForSelector('#vote');
  await warpTo(await node.readContract({ address: C.governor, abi: governorAbi, functionName: 'proposalDeadline', args: [id] }));
  await page.click('#vote');
  const late = await outcome('Failed');
  check(late.includes('would fail, so nothing was sent') && late.includes('The proposal is Succeeded; this needs it to be Active'), `the refusal is explained (${late})`);
  check(late.includes('GovernorUnexpectedProposalState(proposalId:'), 'the decoded error is shown by name and fields');
  await page.click('#status summary');
  await shot('late-vote');
  ok('a vote after the deadline: refused before the wallet opened, the error decoded');

  // 7. Queue, wait for the timelock, execute: each button only when the state allows it.
  await wallet.select(0);
  await page.waitForSelector('#queue');
  check((await page.textContent('#proposal-state')) === 'Succeeded', 'the proposal Succeeded');
  await page.click('#queue');
  await outcome('Confirmed');
  await page.waitForSelector('#execute[disabled]');
  check((await page.textContent('#proposal-state')) === 'Queued', 'queued');
  await warpTo(await node.readContract({ address: C.governor, abi: governorAbi, functionName: 'proposalEta', args: [id] }));
  await refresh();
  await page.waitForSelector('#execute:not([disabled])');
  await page.click('#execute');
  await outcome('Confirmed');
  await page.waitForFunction(() => document.querySelector('#proposal-state')?.textContent === 'Executed');
  check((await node.readContract({ address: C.rewards, abi: rewardsAbi, functionName: 'treasuryBps' })) === 800, 'the timelock ran the action');
  await shot('executed');
  ok('queued, executed after the timelock: the treasury\'s share is 8%');

  // 8. An operator requests part of its stake back.
  await wallet.select(3);
  await page.waitForFunction((a) => document.querySelector('#who')?.getAttribute('title') === a, wallet.account.address);
  await page.click('nav a[href="#/operator"]');
  await page.waitForSelector('#withdraw');
  check((await page.textContent('#seq-stake')).startsWith('30,000'), 'the operator\'s stake');
  await page.fill('#withdraw-amount', '1,000');
  await page.click('#withdraw button[type=submit]');
  await outcome('Confirmed');
  await page.waitForSelector('#withdrawals');
  const queue = await page.textContent('#withdrawals');
  check(queue.includes('1,000') && queue.includes('in 21d'), `the request shows with its maturity (${queue})`);
  await shot('operator');
  ok('an operator requested 1,000 METIS back; it matures in 21 days');

  // A delegation signed in one wallet account and submitted by another.
  await wallet.select(2);
  await page.waitForFunction((a) => document.querySelector('#who')?.getAttribute('title') === a, wallet.account.address);
  await page.click('nav a[href="#/"]');
  await page.waitForSelector('#delegate-sign');
  await page.fill('#delegatee', holder);
  await page.click('#delegate-sign');
  await page.waitForSelector('#delegation-json');
  const delegation = await page.textContent('#delegation-json');
  await wallet.select(0);
  await page.waitForFunction((a) => document.querySelector('#who')?.getAttribute('title') === a, holder);
  await page.click('#submit-delegation-box summary');
  await page.fill('#delegation-submit', delegation);
  await page.click('#submit-delegation');
  await outcome('Confirmed');
  await page.waitForFunction(() => document.querySelector('#power')?.textContent?.startsWith('16,000 votes'));
  ok('another account signed a delegation to the holder, who submitted it: 16,000 votes');

  // 9. The RPC goes down: the page says so and recovers when it is back.
  rpcDown = true;
  await page.route('**/rpc', (route) => route.abort());
  wallet.down = true;
  await page.click('#refresh');
  await page.waitForSelector('#alert [role=alert]');
  check(await page.$eval('#view', (v) => v.classList.contains('stale')), 'what the page shows is marked as out of date');
  check((await page.textContent('#alert')).includes('not answering'), 'the page says the chain is not answering');
  await shot('rpc-down');
  await page.unroute('**/rpc');
  wallet.down = false;
  await page.click('#alert button');
  await page.waitForFunction(() => document.querySelector('#alert')?.textContent === '');
  ok('the RPC went down and came back: the page said so, then read again');

  check(errors.length === 0, `no page errors (${errors.join('; ')})`);
  console.log(`wallet requests: ${[...new Set(wallet.requests)].join(', ')}`);
  console.log(`all ${step} steps passed; screenshots in ${SHOTS}`);
} catch (error) {
  console.log(`not ok ${step + 1} - ${error.message}`);
  console.log(`status: ${await statusText().catch(() => '')}`);
  console.log(`alert: ${await page.textContent('#alert').catch(() => '')}`);
  console.log(`page errors: ${errors.join('; ')}`);
  await shot('failure').catch(() => {});
  process.exitCode = 1;
} finally {
  await browser.close();
}
