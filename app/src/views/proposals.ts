// Proposals: the list with their states, and one proposal with its description, its actions
// decoded (for an upgrade, the new code's hash), the tally against quorum, the holder's voting
// power at the snapshot, the timeline from the governor's clock; voting with a reason or by a
// signature someone else submits, queueing and executing when the state allows, and only then.

import { decodeFunctionData, getAddress, isAddress, isAddressEqual, keccak256, toBytes, zeroAddress, type Abi, type Address, type Hex } from 'viem';
import { getCode, readContract, signTypedData } from 'viem/actions';
import { ready, type App } from '../app';
import { eventsOf } from '../chain';
import { facts, field, h, note, section } from '../dom';
import { date, metis, metisExact, percent, relative, short } from '../format';
import { electionAbi, erc20Abi, governorAbi, lockingPoolAbi, lstRegistryAbi, metisVotesAbi, proxyAbi, rewardsAbi, timelockAbi } from '../gen/abi';
import { contractName } from '../suite';
import { failed, send, status, step } from '../tx';

export const STATES = ['Pending', 'Active', 'Canceled', 'Defeated', 'Succeeded', 'Queued', 'Expired', 'Executed'] as const;
const SUPPORT = [
  { value: 1, label: 'For' },
  { value: 0, label: 'Against' },
  { value: 2, label: 'Abstain' },
] as const;

async function proposals(app: App) {
  return eventsOf(app, app.suite.contracts.governor, governorAbi, 'ProposalCreated');
}

function title(description: string): string {
  return description.split('\n')[0].replace(/^#+\s*/, '') || '(no title)';
}

export async function proposalsView(app: App): Promise<HTMLElement> {
  const governor = app.suite.contracts.governor;
  const created = (await proposals(app)).reverse();
  const rows = await Promise.all(
    created.map(async (p) => {
      const id = p.args.proposalId;
      const [state, votes, deadline] = await Promise.all([
        readContract(app.reader, { address: governor, abi: governorAbi, functionName: 'state', args: [id] }),
        readContract(app.reader, { address: governor, abi: governorAbi, functionName: 'proposalVotes', args: [id] }),
        // Not the event's voteEnd: a late quorum extends the deadline.
        readContract(app.reader, { address: governor, abi: governorAbi, functionName: 'proposalDeadline', args: [id] }),
      ]);
      const [against, forVotes, abstain] = votes;
      return h(
        'tr',
        { 'data-proposal': id.toString() },
        h('td', {}, h('a', { href: `#/proposals/${id}` }, title(p.args.description))),
        h('td', { class: 'state' }, STATES[state] ?? String(state)),
        h('td', { class: 'num' }, metis(forVotes, '')),
        h('td', { class: 'num' }, metis(against, '')),
        h('td', { class: 'num' }, metis(abstain, '')),
        h('td', {}, date(deadline)),
      );
    }),
  );
  const table = rows.length
    ? h(
        'table',
        {},
        h('caption', {}, 'Proposals, newest first; votes in METIS'),
        h('thead', {}, h('tr', {}, ['Proposal', 'State', 'For', 'Against', 'Abstain', 'Voting ends'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, rows),
      )
    : note('Note', 'No proposal yet. A holder with enough votes proposes with `dseq gov propose`.');
  return h('div', { class: 'page' }, section('Proposals', table));
}

/** Every ABI a proposal's action may target, the suite's first. */
const ABIS: [string, Abi][] = [
  ['locking-pool', lockingPoolAbi],
  ['metis-votes', metisVotesAbi],
  ['governor', governorAbi],
  ['timelock', timelockAbi],
  ['sequencer-election', electionAbi],
  ['lst-registry', lstRegistryAbi],
  ['reward-distributor', rewardsAbi],
  ['METIS', erc20Abi],
  ['proxy', proxyAbi],
];

/** `name(arg, ...)` of `data` against the ABIs, the target's own first. */
function decodeCall(target: string | undefined, data: Hex): { name: string; args: readonly unknown[]; names: string[]; signature: string } | undefined {
  const ordered = [...ABIS.filter(([n]) => n === target || (n === 'proxy' && target !== 'METIS')), ...ABIS];
  for (const [, abi] of ordered) {
    try {
      const decoded = decodeFunctionData({ abi, data });
      const item = abi.find((i) => i.type === 'function' && i.name === decoded.functionName && 'inputs' in i && i.inputs.length === (decoded.args?.length ?? 0));
      const inputs = item && 'inputs' in item ? item.inputs : [];
      const signature = `${decoded.functionName}(${inputs.map((i) => i.type).join(',')})`;
      return { name: decoded.functionName, args: decoded.args ?? [], names: inputs.map((i) => i.name ?? ''), signature };
    } catch {
      // not this ABI
    }
  }
  return undefined;
}

function argText(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return `[${value.map(argText).join(', ')}]`;
  return String(value);
}

/** One action in words, with the new code's hash for an upgrade. */
async function actionView(app: App, target: Address, value: bigint, data: Hex): Promise<HTMLElement> {
  const name = contractName(app.suite, target);
  const call = decodeCall(name, data);
  const parts: (Node | string)[] = [
    name ? `${name} (${short(target)})` : h('code', {}, target),
    value > 0n ? `, sending ${metis(value, 'ETH')}` : '',
  ];
  if (!call) {
    parts.push(': ', h('code', {}, data.length > 74 ? `${data.slice(0, 74)}…` : data), ' (not a call of the suite)');
    return h('li', {}, parts);
  }
  parts.push(': ', h('code', {}, call.signature));
  const args = h('ul', { class: 'args' }, call.args.map((a, i) => h('li', {}, call.names[i] ? `${call.names[i]}: ` : '', h('code', {}, argText(a)))));
  const li = h('li', { class: 'action' }, parts, args);
  if (call.name === 'upgradeToAndCall' && typeof call.args[0] === 'string') {
    const implementation = call.args[0] as Address;
    const code = await getCode(app.reader, { address: implementation });
    li.append(
      h('p', { class: 'upgrade' }, 'Upgrade: the proxy will run ', h('code', {}, implementation), code ? `, code hash ${keccak256(code)}` : ', which has no code yet'),
    );
    const inner = decodeCall(name, call.args[1] as Hex);
    if (inner?.name === 'installPrograms') {
      const programs = inner.args[0] as readonly Address[];
      const hashes = await Promise.all(programs.map(async (p) => {
        const c = await getCode(app.reader, { address: p });
        return h('li', {}, h('code', {}, p), c ? ` code hash ${keccak256(c)}` : ' (no code)');
      }));
      li.append(h('p', {}, 'and install its programs:'), h('ul', {}, hashes));
    }
  }
  return li;
}

export async function proposalView(app: App, id: bigint): Promise<HTMLElement> {
  const governor = app.suite.contracts.governor;
  const created = (await proposals(app)).find((p) => p.args.proposalId === id);
  if (!created) return h('div', { class: 'page' }, note('Error', `There is no proposal ${id} on this chain.`), h('p', {}, h('a', { href: '#/proposals' }, 'All proposals')));
  const p = created.args;
  const read = <F extends 'state' | 'proposalSnapshot' | 'proposalDeadline' | 'proposalEta' | 'proposalVotes' | 'clock' | 'COUNTING_MODE' | 'CLOCK_MODE'>(functionName: F, args: readonly unknown[] = []) =>
    readContract(app.reader, { address: governor, abi: governorAbi, functionName, args } as never) as Promise<unknown>;
  const [state, snapshot, deadline, eta, votes, clock, counting, clockMode] = (await Promise.all([
    read('state', [id]),
    read('proposalSnapshot', [id]),
    read('proposalDeadline', [id]),
    read('proposalEta', [id]),
    read('proposalVotes', [id]),
    read('clock'),
    read('COUNTING_MODE'),
    read('CLOCK_MODE'),
  ])) as [number, bigint, bigint, bigint, readonly [bigint, bigint, bigint], number, string, string];
  const now = BigInt(clock);
  const [against, forVotes, abstain] = votes;
  const quorum = snapshot < now ? await readContract(app.reader, { address: governor, abi: governorAbi, functionName: 'quorum', args: [snapshot] }) : undefined;
  const stateName = STATES[state] ?? String(state);
  const page = h('div', { class: 'page', id: 'proposal', 'data-state': stateName });
  page.append(h('p', {}, h('a', { href: '#/proposals' }, '← All proposals')));
  page.append(
    section(
      title(p.description),
      facts([
        ['State', h('span', { id: 'proposal-state' }, stateName)],
        ['Proposer', h('code', {}, p.proposer)],
        ['Id', h('code', { class: 'wrap' }, id.toString())],
      ]),
      h('pre', { class: 'description' }, p.description),
    ),
  );
  const timeline: [string, string][] = [
    ['Votes count as they stood at', `${date(snapshot)} (${relative(snapshot, now)})`],
    ['Voting ends', `${date(deadline)} (${relative(deadline, now)})`],
  ];
  if (eta > 0n) timeline.push(['Executable from', `${date(eta)} (${relative(eta, now)})`]);
  page.append(
    section('Timeline', facts(timeline), h('p', { class: 'where' }, `The governor's clock reads ${date(now)} (${clockMode}): every time here is a timestamp, never a block number.`)),
  );
  const actions = await Promise.all(p.targets.map((t, i) => actionView(app, t, p.values[i] ?? 0n, p.calldatas[i] ?? '0x')));
  page.append(section('What it does', h('ol', { class: 'actions' }, actions)));
  const cast = forVotes + against + abstain;
  const counted = forVotes + abstain;
  const rows = [
    ['For', forVotes],
    ['Against', against],
    ['Abstain', abstain],
  ] as const;
  page.append(
    section(
      'Votes',
      h(
        'table',
        { id: 'tally' },
        h('caption', {}, `Votes cast (${counting})`),
        h('thead', {}, h('tr', {}, ['Choice', 'METIS', 'Share'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, rows.map(([label, v]) => h('tr', { 'data-choice': label }, h('th', { scope: 'row' }, label), h('td', { class: 'num', title: metisExact(v) }, metis(v, '')), h('td', { class: 'num' }, percent(v, cast))))),
      ),
      quorum === undefined
        ? h('p', {}, 'The quorum is read at the snapshot, once it has passed.')
        : h(
            'div',
            { class: 'quorum' },
            h('label', { for: 'quorum-progress' }, `Quorum: ${metis(counted)} of ${metis(quorum)} (for + abstain), ${counted >= quorum ? 'reached' : 'not reached'}`),
            h('progress', { id: 'quorum-progress', max: quorum > 0n ? Number(quorum / 10n ** 15n) : 1, value: Number((counted < quorum ? counted : quorum) / 10n ** 15n) }),
          ),
    ),
  );
  page.append(await yourVote(app, id, stateName, snapshot, now));
  page.append(lifecycle(app, stateName, eta, now, p.targets, p.values, p.calldatas, p.description));
  return page;
}

/** The holder's power at the snapshot and the vote form. */
async function yourVote(app: App, id: bigint, state: string, snapshot: bigint, now: bigint): Promise<HTMLElement> {
  const governor = app.suite.contracts.governor;
  const body = section('Your vote');
  body.id = 'your-vote';
  if (!app.wallet) {
    body.append(note('Note', 'Connect a wallet on the Account page to vote.'));
    return body;
  }
  const me = app.wallet.account;
  const votesToken = app.suite.contracts.votes;
  const [voted, power, current, delegate, wrapped] = await Promise.all([
    readContract(app.reader, { address: governor, abi: governorAbi, functionName: 'hasVoted', args: [id, me] }),
    snapshot < now ? readContract(app.reader, { address: governor, abi: governorAbi, functionName: 'getVotes', args: [me, snapshot] }) : Promise.resolve(undefined),
    readContract(app.reader, { address: votesToken, abi: metisVotesAbi, functionName: 'getVotes', args: [me] }),
    readContract(app.reader, { address: votesToken, abi: metisVotesAbi, functionName: 'delegates', args: [me] }),
    readContract(app.reader, { address: votesToken, abi: metisVotesAbi, functionName: 'balanceOf', args: [me] }),
  ]);
  body.append(
    facts([
      ['Your voting power for this proposal', h('span', { id: 'snapshot-power' }, power === undefined ? `known at the snapshot, ${date(snapshot)}` : metis(power, 'votes'))],
      ['Your voting power now', `${metis(current, 'votes')}; you hold ${metis(wrapped, 'vMETIS')} and delegate to ${delegate === zeroAddress ? 'nobody' : isAddressEqual(delegate, me) ? 'yourself' : delegate}`],
      ['Voted', h('span', { id: 'has-voted' }, voted ? 'yes' : 'no')],
    ]),
  );
  if (power === 0n) {
    body.append(
      note('Note', `You had no votes delegated to you at the snapshot (${date(snapshot)}): tokens count only once delegated, and only from the moment of the delegation. `,
        h('a', { href: '#/' }, 'Delegate on the Account page'), ' for later proposals.'),
    );
  }
  if (voted || state !== 'Active') {
    if (!voted) body.append(h('p', {}, `Voting is open only while the proposal is Active; it is ${state}.`));
    body.append(submitSigned(app, id));
    return body;
  }
  const choices = h('fieldset', {}, h('legend', {}, 'Your choice'),
    SUPPORT.map((s) => h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'support', value: s.value, checked: s.value === 1 }), ` ${s.label}`)));
  const reason = h('textarea', { rows: 3, maxlength: 2000 });
  const chosen = (): number => Number((body.querySelector('input[name=support]:checked') as HTMLInputElement | null)?.value ?? 1);
  const vote = async () => {
    const support = chosen();
    const label = SUPPORT.find((s) => s.value === support)?.label ?? String(support);
    const text = reason.value.trim();
    const s = text
      ? step('', governor, governorAbi, 'castVoteWithReason', [id, support, text])
      : step('', governor, governorAbi, 'castVote', [id, support]);
    await send(app, `Voting ${label}`, [s]);
  };
  const out = h('div', { id: 'signed-ballot' });
  const sign = async () => {
    if (!ready(app)) return status('failed', 'Signing a vote: switch the wallet to this chain first.');
    const support = chosen();
    try {
      const [nonce, domain] = await Promise.all([
        readContract(app.reader, { address: governor, abi: governorAbi, functionName: 'nonces', args: [me] }),
        readContract(app.reader, { address: governor, abi: governorAbi, functionName: 'eip712Domain' }),
      ]);
      status('working', 'Signing a vote: confirm it in your wallet (no gas, nothing is sent).');
      const signature = await signTypedData(app.wallet.signer(app.chain), {
        account: me,
        domain: { name: domain[1], version: domain[2], chainId: Number(domain[3]), verifyingContract: domain[4] },
        types: { Ballot: [{ name: 'proposalId', type: 'uint256' }, { name: 'support', type: 'uint8' }, { name: 'voter', type: 'address' }, { name: 'nonce', type: 'uint256' }] },
        primaryType: 'Ballot',
        message: { proposalId: id, support, voter: me, nonce },
      });
      const ballot = { proposalId: id.toString(), support, voter: me, signature };
      out.replaceChildren(h('p', {}, 'Signed: anyone may submit it while voting is open, and pay its gas. Give them this:'), h('pre', { class: 'signed', id: 'ballot-json' }, JSON.stringify(ballot, null, 2)));
      status('confirmed', 'Vote signed. Nothing was sent; whoever submits it pays the gas.');
    } catch (error) {
      failed('Signing the vote', error);
    }
  };
  body.append(
    h('form', { id: 'vote-form', onsubmit: (e: Event) => { e.preventDefault(); void vote(); } },
      choices,
      field('reason', 'Reason (optional, public)', reason),
      h('div', { class: 'buttons' },
        h('button', { type: 'submit', id: 'vote' }, 'Vote'),
        h('button', { type: 'button', id: 'sign-vote', onclick: () => void sign() }, 'Sign my vote for someone else to submit'))),
    out,
    submitSigned(app, id),
  );
  return body;
}

/** A form that submits a ballot someone signed (anyone may, paying the gas). */
function submitSigned(app: App, id: bigint): HTMLElement {
  const input = h('textarea', { rows: 6, spellcheck: 'false', placeholder: '{"proposalId": "…", "support": 1, "voter": "0x…", "signature": "0x…"}' });
  const submit = async () => {
    try {
      const ballot = JSON.parse(input.value) as { proposalId: string; support: number; voter: string; signature: Hex };
      if (BigInt(ballot.proposalId) !== id) throw new Error('that ballot is for another proposal');
      if (!isAddress(ballot.voter)) throw new Error('"voter" is not an address');
      await send(app, `Submitting ${short(ballot.voter)}'s signed vote`, [
        step('', app.suite.contracts.governor, governorAbi, 'castVoteBySig', [id, Number(ballot.support), getAddress(ballot.voter), ballot.signature]),
      ]);
    } catch (error) {
      failed('Submitting the signed vote', error);
    }
  };
  return h('details', { id: 'submit-ballot' }, h('summary', {}, 'Submit a vote someone signed'),
    h('form', { onsubmit: (e: Event) => { e.preventDefault(); void submit(); } },
      field('ballot-submit', 'The signed vote (JSON)', input),
      h('button', { type: 'submit', id: 'submit-signed-vote' }, 'Submit it (you pay the gas)')));
}

/** Queue and execute, offered only in the states that allow them. */
function lifecycle(app: App, state: string, eta: bigint, now: bigint, targets: readonly Address[], values: readonly bigint[], calldatas: readonly Hex[], description: string): HTMLElement {
  const governor = app.suite.contracts.governor;
  const descriptionHash = keccak256(toBytes(description));
  const body = section('Queue and execute');
  if (state === 'Succeeded') {
    body.append(
      h('p', {}, 'The proposal passed. Anyone may queue it in the timelock; it runs after the timelock\'s delay.'),
      h('button', { type: 'button', id: 'queue', onclick: () => void send(app, 'Queueing the proposal', [step('', governor, governorAbi, 'queue', [targets, values, calldatas, descriptionHash])]) }, 'Queue'),
    );
  } else if (state === 'Queued') {
    const due = eta <= now;
    body.append(
      h('p', {}, due ? 'The timelock\'s delay has passed: anyone may execute it.' : `Queued: executable from ${date(eta)} (${relative(eta, now)}).`),
      h('button', { type: 'button', id: 'execute', disabled: !due, onclick: () => void send(app, 'Executing the proposal', [step('', governor, governorAbi, 'execute', [targets, values, calldatas, descriptionHash])]) }, 'Execute'),
    );
  } else if (state === 'Executed') {
    body.append(h('p', {}, 'Executed: the timelock ran every action.'));
  } else {
    body.append(h('p', {}, `Nothing to do now: a proposal is queued once it has Succeeded, then executed once the timelock's delay has passed (it is ${state}).`));
  }
  return body;
}
