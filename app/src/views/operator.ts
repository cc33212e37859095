// An operator's sequencer: its stake, status, signer and reward recipient, the paired LST,
// the open withdrawals with their maturity, the rewards (claimable, pending and how they split,
// the commission), and every action of `dseq operator` a browser wallet can sign. Registering
// and rotating the signer take a proof the node's key signs where it lives (`dseq operator
// proof`): the page takes the proof pasted, never the key.

import { getAddress, isAddress, isHex, size, zeroAddress, type Address, type Hex } from 'viem';
import { readContract } from 'viem/actions';
import type { App } from '../app';
import { eventsOf } from '../chain';
import { facts, field, h, note, section } from '../dom';
import { date, duration, metis, metisExact, parseMetis, relative } from '../format';
import { erc20Abi, lockingPoolAbi, metisVotesAbi, rewardsAbi } from '../gen/abi';
import { failed, send, status, step, type Step } from '../tx';

const STATUS = ['Unavailable', 'Exiting', 'Active', 'Unlocked'];

/** The sequencer `owner` runs, or ran last (an exited owner's id is no longer in `seqOwners`). */
async function sequencerOf(app: App, owner: Address): Promise<bigint | undefined> {
  const pool = app.suite.contracts.pool;
  const live = await readContract(app.reader, { address: pool, abi: lockingPoolAbi, functionName: 'seqOwners', args: [owner] });
  if (live > 0n) return live;
  const changes = await eventsOf(app, pool, lockingPoolAbi, 'SequencerOwnerChanged');
  const mine = changes.filter((e) => e.args.owner.toLowerCase() === owner.toLowerCase()).map((e) => e.args.sequencerId);
  return mine.length ? mine[mine.length - 1] : undefined;
}

export async function operatorView(app: App): Promise<HTMLElement> {
  const page = h('div', { class: 'page', id: 'operator' });
  if (!app.wallet) {
    page.append(note('Note', 'Connect the wallet of a sequencer\'s owner on the Account page.'));
    return page;
  }
  const me = app.wallet.account;
  const pool = app.suite.contracts.pool;
  const rewards = app.suite.contracts.rewards;
  const [id, live, admitted] = await Promise.all([
    sequencerOf(app, me),
    readContract(app.reader, { address: pool, abi: lockingPoolAbi, functionName: 'seqOwners', args: [me] }),
    readContract(app.reader, { address: pool, abi: lockingPoolAbi, functionName: 'whitelist', args: [me] }),
  ]);
  if (live === 0n) page.append(admitted ? registerSection(app, me) : section('No sequencer', h('p', {}, 'This account runs no sequencer and is not admitted: operators are admitted by winning a round of the election (or by governance), then register here.')));
  if (id === undefined) return page;
  const readPool = <T>(functionName: string, args: readonly unknown[] = []) =>
    readContract(app.reader, { address: pool, abi: lockingPoolAbi, functionName, args } as never) as Promise<T>;
  const readRewards = <T>(functionName: string, args: readonly unknown[] = []) =>
    readContract(app.reader, { address: rewards, abi: rewardsAbi, functionName, args } as never) as Promise<T>;
  const [info, queue, delegation, minLock, maxLock, exitDelay, seqRewards, preview, terms, now] = await Promise.all([
    readPool<readonly [bigint, Address, Address, Address, number, bigint, bigint, bigint, bigint, bigint]>('sequencerInfo', [id]),
    readPool<readonly [bigint, bigint, bigint, bigint]>('withdrawalQueue', [id]),
    readPool<readonly [Address, number, bigint, Address, bigint]>('delegation', [id]),
    readPool<bigint>('minLock'),
    readPool<bigint>('maxLock'),
    readPool<bigint>('exitDelayPeriod'),
    readRewards<readonly [bigint, bigint, number, number, bigint]>('sequencerRewards', [id]),
    readRewards<readonly [Address, bigint, bigint, bigint]>('previewSettlement', [id]),
    readRewards<readonly [number, bigint]>('commissionTerms'),
    readContract(app.reader, { address: app.suite.contracts.votes, abi: metisVotesAbi, functionName: 'clock' }).then(BigInt),
  ]);
  const [amount, owner, signer, recipient, state, , activationTime, , , unlockClaimTime] = info;
  const [nextToClaim, nextRequestId, pending, claimable] = queue;
  const [, , , lst, lstStake] = delegation;
  const [rewardsPending, rewardsClaimable, commissionBps, nextCommissionBps, nextCommissionAt] = seqRewards;
  const [, operatorShare, lstShare, commission] = preview;
  const requests = await Promise.all(
    Array.from({ length: Number(nextRequestId - nextToClaim) }, (_, i) => nextToClaim + BigInt(i)).map(async (r) => {
      const [value, at] = await readPool<readonly [bigint, bigint]>('withdrawalRequest', [id, r]);
      return { id: r, value, at };
    }),
  );
  const isOwner = owner.toLowerCase() === me.toLowerCase();
  page.append(
    section(
      `Sequencer ${id}`,
      facts([
        ['Status', h('span', { id: 'seq-status' }, STATUS[state] ?? String(state))],
        ['Stake', h('span', { id: 'seq-stake', title: metisExact(amount) }, metis(amount))],
        ['Paired LST', lst === zeroAddress ? 'none' : [h('code', {}, lst), ` with ${metis(lstStake)} of its own here`]],
        ['Signer (node key)', h('code', {}, signer)],
        ['Reward recipient', h('code', {}, recipient)],
        ['Running since', date(activationTime)],
        ['Bounds', `${metis(minLock)} to ${metis(maxLock)} (stake and LST stake together); withdrawals wait ${duration(exitDelay)}`],
      ]),
      isOwner ? null : note('Note', `${me} is not this sequencer's owner (${owner}).`),
    ),
  );
  const queueRows = requests.map((r) =>
    h('tr', {}, h('td', {}, `#${r.id}`), h('td', { class: 'num' }, metis(r.value)), h('td', {}, `${date(r.at)} (${r.at <= now ? 'claimable now' : relative(r.at, now)})`)));
  if (state === 1) queueRows.push(h('tr', {}, h('td', {}, 'exit'), h('td', { class: 'num' }, metis(amount)), h('td', {}, `${date(unlockClaimTime)} (${unlockClaimTime <= now ? 'claimable now' : relative(unlockClaimTime, now)})`)));
  page.append(
    section(
      'Withdrawals',
      queueRows.length
        ? h('table', { id: 'withdrawals' }, h('caption', {}, `${metis(pending)} waiting, ${metis(claimable)} claimable now`),
            h('thead', {}, h('tr', {}, ['Request', 'Amount', 'Matures'].map((t) => h('th', { scope: 'col' }, t)))), h('tbody', {}, queueRows))
        : h('p', {}, 'No withdrawal waiting.'),
    ),
  );
  const commissionText = `${commissionBps / 100}%${nextCommissionAt > 0n ? `, ${nextCommissionBps / 100}% from ${date(nextCommissionAt)} (${relative(nextCommissionAt, now)})` : ''}`;
  page.append(
    section(
      'Rewards',
      facts([
        ['Claimable', h('span', { id: 'rewards-claimable', title: metisExact(rewardsClaimable) }, metis(rewardsClaimable))],
        ['Pending, not split yet', `${metis(rewardsPending)}: ${metis(operatorShare)} to you (${metis(commission)} of it commission)${lst === zeroAddress ? '' : `, ${metis(lstShare)} to the LST`}`],
        ['Commission on the LST\'s share', h('span', { id: 'commission' }, commissionText)],
      ]),
    ),
  );
  if (isOwner) page.append(actions(app, id, me, state, amount, claimable, unlockClaimTime <= now, terms));
  return page;
}

/** The command that signs a signer proof where the node key lives. */
function proofCommand(app: App, me: Address): HTMLElement {
  return h('code', {}, `dseq operator proof --signer-key NODE_KEY --owner ${me} --pool ${app.suite.contracts.pool} --chain-id ${app.suite.chainId}`);
}

/** Reads a signer address and its proof from two inputs, or says what to fix. */
function signerAndProof(signer: HTMLInputElement, proof: HTMLTextAreaElement, what: string): [Address, Hex] | undefined {
  const address = signer.value.trim();
  const signature = proof.value.trim();
  if (!isAddress(address)) {
    status('failed', `${what}: "${address}" is not the signer's address.`);
    return undefined;
  }
  if (!isHex(signature) || size(signature) !== 65) {
    status('failed', `${what}: the proof is 65 bytes of hex, as \`dseq operator proof\` prints it (signerProof: 0x…).`);
    return undefined;
  }
  return [getAddress(address), signature];
}

/** Registration for an admitted owner: the node's proof pasted, the METIS approved and locked. */
function registerSection(app: App, me: Address): HTMLElement {
  const pool = app.suite.contracts.pool;
  const signer = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', required: true });
  const proof = h('textarea', { rows: 3, spellcheck: 'false', required: true });
  const amount = h('input', { type: 'text', inputmode: 'decimal', autocomplete: 'off', required: true });
  const recipient = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', placeholder: me });
  const register = async () => {
    const pair = signerAndProof(signer, proof, 'Registering');
    if (!pair) return;
    let value: bigint;
    try {
      value = parseMetis(amount.value);
    } catch (error) {
      return failed('Registering', error);
    }
    const to = recipient.value.trim();
    if (to && !isAddress(to)) return status('failed', `Registering: "${to}" is not an address.`);
    const allowance = await readContract(app.reader, { address: app.suite.token, abi: erc20Abi, functionName: 'allowance', args: [me, pool] });
    const steps: Step[] = allowance < value ? [step('approval', app.suite.token, erc20Abi, 'approve', [pool, value])] : [];
    steps.push(to
      ? step('registration', pool, lockingPoolAbi, 'lockWithRewardRecipient', [pair[0], getAddress(to), value, pair[1]])
      : step('registration', pool, lockingPoolAbi, 'lockFor', [pair[0], value, pair[1]]));
    await send(app, `Registering a sequencer with ${metis(value)}`, steps);
  };
  return section(
    'Register your sequencer',
    h('p', {}, 'You are admitted. The node\'s signer key proves it serves you by signing a proof; sign it where that key lives, never in a browser:'),
    h('pre', {}, proofCommand(app, me)),
    h('form', { id: 'register', onsubmit: (e: Event) => { e.preventDefault(); void register(); } },
      field('register-signer', 'Signer address (the node key\'s)', signer),
      field('register-proof', 'Signer proof (signerProof)', proof),
      field('register-amount', 'METIS to lock', amount, 'Within the pool\'s bounds; the pool is approved first when needed.'),
      field('register-recipient', 'Reward recipient (optional)', recipient, 'Who receives the rewards; you, if left empty.'),
      h('button', { type: 'submit' }, 'Register')),
  );
}

/** The forms of the owner's actions. */
function actions(app: App, id: bigint, me: Address, state: number, stake: bigint, claimable: bigint, exitMatured: boolean, terms: readonly [number, bigint]): HTMLElement {
  const pool = app.suite.contracts.pool;
  const rewards = app.suite.contracts.rewards;
  const body = section('Act on your sequencer');
  const amountForm = (formId: string, label: string, button: string, hint: string, act: (amount: bigint) => Promise<unknown>) => {
    const input = h('input', { type: 'text', inputmode: 'decimal', autocomplete: 'off' });
    return h('form', { id: formId, onsubmit: (e: Event) => { e.preventDefault(); try { void act(parseMetis(input.value)); } catch (error) { failed(button, error); } } },
      field(`${formId}-amount`, label, input, hint), h('button', { type: 'submit' }, button));
  };
  if (state === 2) {
    const compound = h('input', { type: 'checkbox', id: 'relock-compound' });
    const relock = amountForm('relock', 'METIS to add to the stake', 'Relock', 'The pool is approved first when needed.', async (amount) => {
      const allowance = await readContract(app.reader, { address: app.suite.token, abi: erc20Abi, functionName: 'allowance', args: [me, pool] });
      const steps: Step[] = allowance < amount ? [step('approval', app.suite.token, erc20Abi, 'approve', [pool, amount])] : [];
      steps.push(step('relock', pool, lockingPoolAbi, 'relock', [id, amount, compound.checked]));
      await send(app, `Relocking ${metis(amount)}`, steps);
    });
    relock.insertBefore(h('label', { class: 'choice' }, compound, ' and compound my claimable rewards into the stake'), relock.lastChild);
    body.append(
      relock,
      amountForm('withdraw', 'METIS to withdraw', 'Request the withdrawal', `It leaves the stake now and is claimable after the exit delay; what stays must remain at least the minimum. Your stake: ${metis(stake)}.`,
        (amount) => send(app, `Requesting ${metis(amount)} back`, [step('', pool, lockingPoolAbi, 'requestWithdrawal', [id, amount])])),
    );
  }
  const buttons = h('div', { class: 'buttons' });
  if (claimable > 0n) buttons.append(h('button', { type: 'button', id: 'claim-withdrawals', onclick: () => void send(app, `Claiming ${metis(claimable)}`, [step('', pool, lockingPoolAbi, 'claimWithdrawals', [id])]) }, `Claim ${metis(claimable)} of matured withdrawals`));
  if (state === 1 && exitMatured) buttons.append(h('button', { type: 'button', id: 'claim-exit', onclick: () => void send(app, 'Claiming the exited stake', [step('', pool, lockingPoolAbi, 'unlockClaim', [id, 0])]) }, 'Claim the exited stake'));
  buttons.append(
    h('button', { type: 'button', id: 'claim-rewards', onclick: () => void send(app, 'Claiming the rewards', [step('', rewards, rewardsAbi, 'claimOperatorRewards', [id])]) }, 'Claim rewards to the recipient'),
  );
  if (state === 2) buttons.append(h('button', { type: 'button', id: 'compound', onclick: () => void send(app, 'Compounding the rewards', [step('', pool, lockingPoolAbi, 'relock', [id, 0n, true])]) }, 'Compound rewards into the stake'));
  body.append(buttons);
  const recipient = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false' });
  body.append(
    h('form', { id: 'recipient', onsubmit: (e: Event) => {
      e.preventDefault();
      const text = recipient.value.trim();
      if (!isAddress(text)) return status('failed', `Setting the reward recipient: "${text}" is not an address.`);
      void send(app, 'Setting the reward recipient', [step('', pool, lockingPoolAbi, 'setSequencerRewardRecipient', [id, getAddress(text)])]);
    } }, field('recipient-address', 'New reward recipient', recipient, 'Future reward claims pay this address.'), h('button', { type: 'submit' }, 'Set the recipient')),
  );
  if (state === 2) {
    const signer = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', required: true });
    const proof = h('textarea', { rows: 3, spellcheck: 'false', required: true });
    body.append(
      h('form', { id: 'rotate', onsubmit: (e: Event) => {
        e.preventDefault();
        const pair = signerAndProof(signer, proof, 'Rotating the signer');
        if (pair) void send(app, 'Rotating the signer', [step('', pool, lockingPoolAbi, 'rotateSigner', [id, pair[0], pair[1]])]);
      } },
        h('p', {}, 'Move the sequencer to a new node key: sign the new key\'s proof where it lives, ', proofCommand(app, me), ', and paste it here.'),
        field('rotate-signer', 'New signer address', signer),
        field('rotate-proof', 'Its proof (signerProof)', proof),
        h('button', { type: 'submit' }, 'Rotate the signer')),
    );
  }
  const bps = h('input', { type: 'number', min: 0, max: terms[0] / 100, step: 0.01, required: true });
  body.append(
    h('form', { id: 'commission-form', onsubmit: (e: Event) => {
      e.preventDefault();
      const value = Math.round(Number(bps.value) * 100);
      if (bps.value.trim() === '' || !Number.isFinite(value) || value < 0) return status('failed', 'Setting the commission: give a percentage like 10 or 12.5.');
      void send(app, `Setting the commission to ${value / 100}%`, [step('', rewards, rewardsAbi, 'setCommission', [id, value])]);
    } }, field('commission-percent', 'Commission on the LST\'s share, in %', bps, `At most ${terms[0] / 100}%; a change takes effect ${duration(terms[1])} after it is set.`), h('button', { type: 'submit' }, 'Set the commission')),
  );
  if (state === 2) {
    const sure = h('input', { type: 'checkbox', id: 'exit-sure' });
    body.append(
      h('form', { id: 'exit', onsubmit: (e: Event) => {
        e.preventDefault();
        if (!sure.checked) return status('failed', 'Exiting: tick the box to confirm first.');
        void send(app, 'Exiting', [step('', pool, lockingPoolAbi, 'unlock', [id, 0])]);
      } }, h('label', { class: 'choice' }, sure, ' I want to stop this sequencer: it stops counting now and the stake is claimable after the exit delay'), h('button', { type: 'submit' }, 'Exit')),
    );
  }
  return body;
}
