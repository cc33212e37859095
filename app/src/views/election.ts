// The sequencer election: the latest round, its phase and deadlines, the candidates with their
// votes, the holder's weight (votes as they stood when voting opened) and its votes, voting per
// candidate, and the operators admitted when the round closed.

import { readContract } from 'viem/actions';
import type { Address } from 'viem';
import type { App } from '../app';
import { eventsOf } from '../chain';
import { facts, h, note, section } from '../dom';
import { date, duration, metis, percent, relative } from '../format';
import { electionAbi, metisVotesAbi } from '../gen/abi';
import { send, status, step } from '../tx';

const PHASES = ['none', 'Applications', 'Voting', 'Vetting', 'Ended (to finalize)', 'Finalized', 'Canceled'];
const STATUS = ['none', 'Applied', 'Vetoed', 'Admitted', 'Not qualified', 'Outranked'];
const SUPPORT = [
  { value: 1, label: 'For' },
  { value: 0, label: 'Against' },
  { value: 2, label: 'Abstain' },
] as const;

export async function electionView(app: App): Promise<HTMLElement> {
  const election = app.suite.contracts.election;
  const read = <T>(functionName: string, args: readonly unknown[] = []) =>
    readContract(app.reader, { address: election, abi: electionAbi, functionName, args } as never) as Promise<T>;
  const [count, nextAt] = await Promise.all([read<bigint>('roundCount'), read<bigint>('nextRoundAt')]);
  // The live round keeps the rules it opened with; governance's changes apply to later rounds.
  const rules = await read<readonly [bigint, bigint, bigint, bigint, number, number, number, number, number, bigint]>(count === 0n ? 'rules' : 'roundRules', count === 0n ? [] : [count]);
  const page = h('div', { class: 'page', id: 'election' });
  const [cadence, application, voting, vetting, seats, , minVoters, approvalBps, quorumBps, quorumFloor] = rules;
  const now = await readContract(app.reader, { address: app.suite.contracts.votes, abi: metisVotesAbi, functionName: 'clock' });
  const quorumRule = quorumBps > 0 ? `${metis(quorumFloor)} or ${quorumBps / 100}% of all votes, whichever is more,` : metis(quorumFloor);
  page.append(
    section(
      'How operators are elected',
      h('p', {}, `A round every ${duration(cadence)}: ${duration(application)} to apply, ${duration(voting)} to vote, ${duration(vetting)} of vetting. `,
        `Holders vote for, against or abstain on each candidate with their votes as they stood when voting opened. A candidate needs ${quorumRule} of votes for + abstain, ${minVoters} voter${minVoters === 1 ? '' : 's'} and ${approvalBps / 100}% of for + against in favour; the top ${seats} by votes for are admitted to the pool.`),
    ),
  );
  if (count === 0n) {
    page.append(note('Note', `No round yet; the first is due ${date(nextAt)} (${relative(nextAt, now)}). Anyone may open it then.`), openButton(app, nextAt, BigInt(now)));
    return page;
  }
  const id = count;
  const [round, candidates] = await Promise.all([
    read<readonly [number, bigint, bigint, bigint, bigint, bigint, bigint, bigint]>('round', [id]),
    read<readonly Address[]>('candidates', [id]),
  ]);
  const [phase, , openedAt, votingStart, votingEnd, vettingEnd, , admitted] = round;
  // Votes weigh as they stood at the window's start: known once it has passed (and not for a
  // round canceled before it).
  const weighed = BigInt(now) > votingStart && phase >= 2 && phase <= 5;
  const quorum = weighed ? await read<bigint>('quorum', [id]) : undefined;
  const deadline =
    phase === 1 ? `applications close ${date(votingStart)} (${relative(votingStart, now)})`
    : phase === 2 ? `voting closes ${date(votingEnd)} (${relative(votingEnd, now)})`
    : phase === 3 ? `vetting ends ${date(vettingEnd)} (${relative(vettingEnd, now)})`
    : phase === 4 ? 'anyone may finalize it now'
    : phase === 5 ? `${admitted} admitted; the next round is due ${date(nextAt)} (${relative(nextAt, now)})`
    : '';
  const applied = await eventsOf(app, election, electionAbi, 'CandidateApplied', { roundId: id });
  const metadata = new Map(applied.map((e) => [e.args.operator.toLowerCase(), e.args.metadataURI]));
  const me = app.wallet?.account;
  const weight = me && weighed ? await read<bigint>('votingPower', [id, me]) : undefined;
  // The holder's own votes this round, from its VoteCast events (the voter is indexed).
  const mine = me ? await eventsOf(app, election, electionAbi, 'VoteCast', { roundId: id, voter: me }) : [];
  const choiceOf = new Map(mine.map((e) => [e.args.candidate.toLowerCase(), SUPPORT.find((s) => s.value === e.args.support)?.label ?? String(e.args.support)]));
  page.append(
    section(
      `Round ${id}`,
      facts([
        ['Phase', h('span', { id: 'phase' }, `${PHASES[phase] ?? phase}: ${deadline}`)],
        ['Opened', date(openedAt)],
        ['Votes weigh as at', `${date(votingStart)} (when voting opens)`],
        ['Voting until', date(votingEnd)],
        ['Vetting until', date(vettingEnd)],
        ['Quorum', quorum === undefined ? `known when voting opens, ${date(votingStart)}` : `${metis(quorum)} of votes for + abstain`],
        ['Your weight', h('span', { id: 'election-weight' }, me === undefined ? 'connect a wallet' : weight === undefined ? `known when voting opens, ${date(votingStart)}` : metis(weight, 'votes'))],
      ]),
    ),
  );
  if (weight === 0n) {
    page.append(note('Note', `You had no votes delegated to you when voting opened (${date(votingStart)}): delegate before the next round's voting opens.`));
  }
  const rows = await Promise.all(
    candidates.map(async (c) => {
      const [info, voted] = await Promise.all([
        read<readonly [bigint, Address, number, bigint, bigint, bigint, bigint, string]>('candidate', [id, c]),
        me ? read<boolean>('hasVoted', [id, c, me]) : Promise.resolve(false),
      ]);
      const [, signer, status, votesFor, votesAgainst, votesAbstain, voters] = info;
      const uri = metadata.get(c.toLowerCase()) ?? '';
      const choice = phase === 2 && me && !voted
        ? h('fieldset', { class: 'inline' }, h('legend', {}, `Your vote on ${c}`),
            SUPPORT.map((s) => h('label', {}, h('input', { type: 'radio', name: `vote-${c}`, value: s.value }), ` ${s.label}`)))
        : h('span', {}, voted ? `you voted ${choiceOf.get(c.toLowerCase()) ?? ''}`.trim() : phase === 2 ? 'connect a wallet to vote' : '-');
      return h(
        'tr',
        { 'data-candidate': c },
        h('td', {}, h('code', {}, c), h('br', {}), h('small', {}, `node key ${signer}`), uri ? [h('br', {}), h('small', {}, uri)] : null),
        h('td', {}, STATUS[status] ?? String(status)),
        h('td', { class: 'num' }, metis(votesFor, '')),
        h('td', { class: 'num' }, metis(votesAgainst, '')),
        h('td', { class: 'num' }, metis(votesAbstain, '')),
        h('td', { class: 'num' }, String(voters)),
        h('td', { class: 'num' }, percent(votesFor, votesFor + votesAgainst)),
        h('td', {}, choice),
      );
    }),
  );
  const table = h(
    'table',
    { id: 'candidates' },
    h('caption', {}, 'Candidates; votes in METIS; approval = for / (for + against)'),
    h('thead', {}, h('tr', {}, ['Candidate', 'Status', 'For', 'Against', 'Abstain', 'Voters', 'Approval', 'Your vote'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows),
  );
  const form = h('form', { id: 'election-vote', onsubmit: (e: Event) => { e.preventDefault(); void castVotes(app, id, form); } }, table);
  if (phase === 2 && me) form.append(h('button', { type: 'submit', id: 'election-vote-submit' }, 'Cast the votes chosen above'));
  page.append(section('Candidates', candidates.length ? form : note('Note', 'No candidate yet: operators apply with `dseq election apply`.')));
  if (phase === 5) {
    const winners = await eventsOf(app, election, electionAbi, 'CandidateAdmitted', { roundId: id });
    page.append(section('Admitted', winners.length ? h('ol', { id: 'admitted' }, winners.map((w) => h('li', {}, h('code', {}, w.args.operator), ` with ${metis(w.args.votesFor, 'votes')} for`))) : note('Note', 'Nobody qualified in this round.')));
  }
  if (phase === 4) {
    page.append(h('button', { type: 'button', id: 'finalize', onclick: () => void send(app, `Finalizing round ${id}`, [step('', election, electionAbi, 'finalize', [id])]) }, `Finalize round ${id}`));
  }
  if (phase >= 5) page.append(openButton(app, nextAt, BigInt(now)));
  return page;
}

/** The chosen votes: one candidate by `castVote`, several in one `castVotes`. */
async function castVotes(app: App, id: bigint, form: HTMLFormElement): Promise<void> {
  const chosen = [...form.querySelectorAll<HTMLInputElement>('input[type=radio]:checked')].map((input) => ({
    candidate: input.name.slice('vote-'.length) as Address,
    support: Number(input.value),
  }));
  const election = app.suite.contracts.election;
  if (chosen.length === 0) {
    status('failed', 'Voting: choose for, against or abstain on at least one candidate.');
    return;
  }
  const what = `Voting on ${chosen.length} candidate${chosen.length > 1 ? 's' : ''}`;
  const s = chosen.length === 1
    ? step('', election, electionAbi, 'castVote', [id, chosen[0].candidate, chosen[0].support])
    : step('', election, electionAbi, 'castVotes', [id, chosen.map((c) => c.candidate), chosen.map((c) => BigInt(c.support))]);
  await send(app, what, [s]);
}

function openButton(app: App, nextAt: bigint, now: bigint): HTMLElement {
  const due = nextAt <= now;
  return h('p', {}, h('button', { type: 'button', id: 'open-round', disabled: !due, onclick: () => void send(app, 'Opening the next round', [step('', app.suite.contracts.election, electionAbi, 'openRound', [])]) },
    due ? 'Open the next round (anyone may)' : `The next round can be opened from ${date(nextAt)}`));
}
