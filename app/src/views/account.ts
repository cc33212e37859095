// The holder's account: METIS in the wallet, wrapped votes, locked stake, the delegate and the
// voting power, with the trap that catches most holders (votes never delegated count for
// nobody) explained where it bites; wrapping, unwrapping and delegating, by transaction or by a
// signature someone else submits.

import { getAddress, isAddress, isAddressEqual, isHex, size, slice, hexToNumber, zeroAddress, type Address, type Hex } from 'viem';
import { readContract, signTypedData } from 'viem/actions';
import { ready, type App } from '../app';
import { facts, field, h, note, section } from '../dom';
import { date, metis, metisExact, parseMetis } from '../format';
import { erc20Abi, metisVotesAbi } from '../gen/abi';
import { failed, send, status, step } from '../tx';

export async function accountView(app: App): Promise<HTMLElement> {
  const page = h('div', { class: 'page' });
  if (!app.wallet) {
    page.append(connectSection(app));
    page.append(aboutSection(app));
    return page;
  }
  if (!ready(app)) {
    page.append(
      note('Warning', `Your wallet is on chain ${app.wallet.chainId}; this page's contracts live on ${app.suite.chainName} (chain ${app.suite.chainId}). `,
        h('button', { type: 'button', onclick: () => void app.switchNetwork() }, `Switch to ${app.suite.chainName}`)),
    );
  }
  const me = app.wallet.account;
  const { votes } = app.suite.contracts;
  const token = app.suite.token;
  const read = <T>(p: Promise<T>) => p;
  const [balance, wrapped, stake, delegate, power, clock] = await Promise.all([
    read(readContract(app.reader, { address: token, abi: erc20Abi, functionName: 'balanceOf', args: [me] })),
    read(readContract(app.reader, { address: votes, abi: metisVotesAbi, functionName: 'balanceOf', args: [me] })),
    read(readContract(app.reader, { address: votes, abi: metisVotesAbi, functionName: 'stakeOf', args: [me] })),
    read(readContract(app.reader, { address: votes, abi: metisVotesAbi, functionName: 'delegates', args: [me] })),
    read(readContract(app.reader, { address: votes, abi: metisVotesAbi, functionName: 'getVotes', args: [me] })),
    read(readContract(app.reader, { address: votes, abi: metisVotesAbi, functionName: 'clock' })),
  ]);
  const own = wrapped + stake;
  const delegateText = delegate === zeroAddress ? 'nobody' : isAddressEqual(delegate, me) ? `yourself (${me})` : delegate;
  page.append(
    section(
      'Your account',
      facts([
        ['Account', h('code', {}, me)],
        ['METIS in the wallet', h('span', { id: 'metis', title: metisExact(balance) }, metis(balance))],
        ['Wrapped votes (vMETIS)', h('span', { id: 'wrapped', title: metisExact(wrapped) }, metis(wrapped, 'vMETIS'))],
        ['Locked stake (an operator\'s)', h('span', { id: 'stake', title: metisExact(stake) }, metis(stake))],
        ['Delegates to', h('span', { id: 'delegate' }, delegateText)],
        ['Voting power', h('span', { id: 'power', title: metisExact(power) }, `${metis(power, 'votes')} (delegated to this account, now)`)],
      ]),
      h('p', { class: 'where' }, `Read from ${app.suite.chainName}: METIS ${token}, votes ${votes}.`),
    ),
  );
  if (delegate === zeroAddress && own > 0n) {
    page.append(
      note(
        'Warning',
        `Your ${metis(own)} count for nobody until you delegate them, to yourself or to someone you trust. `,
        `A delegation counts for proposals and election rounds whose snapshot comes after it (the clock is now ${date(clock)}).`,
        ' ',
        h('button', { type: 'button', id: 'delegate-self', onclick: () => void send(app, 'Delegating to yourself', [step('', votes, metisVotesAbi, 'delegate', [me])]) }, 'Delegate to myself'),
      ),
    );
  } else if (own === 0n && balance > 0n) {
    page.append(note('Note', 'METIS in your wallet does not vote: wrap it into votes below (1 METIS = 1 vote), then delegate.'));
  }
  page.append(wrapSection(app, me, balance, wrapped));
  page.append(await delegateSection(app, me, delegate));
  return page;
}

function connectSection(app: App): HTMLElement {
  const list = app.wallets.length
    ? h('ul', { class: 'wallets' }, app.wallets.map((w) =>
        h('li', {}, h('button', { type: 'button', 'data-wallet': w.info.rdns, onclick: () => void app.connect(w) },
          w.info.icon ? h('img', { src: w.info.icon, alt: '', width: 20, height: 20 }) : null, `Connect ${w.info.name}`))))
    : note('Note', 'No browser wallet was found. Install one (MetaMask, Rabby, Frame, ...) and reload this page.');
  return section('Connect a wallet', h('p', {}, 'See your METIS, votes and stake, delegate, vote on proposals and in the election. The page never holds a key: your wallet signs.'), list);
}

function aboutSection(app: App): HTMLElement {
  return section(
    'This chain',
    facts([
      ['Network', `${app.suite.chainName} (chain id ${app.suite.chainId})`],
      ['METIS', h('code', {}, app.suite.token)],
      ['Voting token', h('code', {}, app.suite.contracts.votes)],
      ['Governor', h('code', {}, app.suite.contracts.governor)],
    ]),
    h('p', {}, 'Proposals and the election can be read without a wallet: use the links above.'),
  );
}

function wrapSection(app: App, me: Address, balance: bigint, wrapped: bigint): HTMLElement {
  const { votes } = app.suite.contracts;
  const wrapInput = h('input', { type: 'text', inputmode: 'decimal', autocomplete: 'off', placeholder: '1000' });
  const unwrapInput = h('input', { type: 'text', inputmode: 'decimal', autocomplete: 'off', placeholder: '1000' });
  const wrap = async () => {
    let amount: bigint;
    try {
      amount = parseMetis(wrapInput.value);
    } catch (error) {
      return failed('Wrapping', error);
    }
    if (amount === 0n) return status('failed', 'Wrapping: give an amount above 0.');
    if (amount > balance) return status('failed', `Wrapping: you hold ${metis(balance)}, less than ${metis(amount)}.`);
    const allowance = await readContract(app.reader, { address: app.suite.token, abi: erc20Abi, functionName: 'allowance', args: [me, votes] });
    const steps = allowance < amount ? [step('approval', app.suite.token, erc20Abi, 'approve', [votes, amount])] : [];
    steps.push(step('wrap', votes, metisVotesAbi, 'depositFor', [me, amount]));
    await send(app, `Wrapping ${metis(amount)}`, steps);
  };
  const unwrap = async () => {
    try {
      const amount = parseMetis(unwrapInput.value);
      await send(app, `Unwrapping ${metis(amount, 'vMETIS')}`, [step('', votes, metisVotesAbi, 'withdrawTo', [me, amount])]);
    } catch (error) {
      failed('Unwrapping', error);
    }
  };
  return section(
    'Wrap METIS into votes',
    h('form', { onsubmit: (e: Event) => { e.preventDefault(); void wrap(); } },
      field('wrap-amount', 'METIS to wrap', wrapInput, `You hold ${metis(balance)}. The voting token is approved first when needed.`),
      h('button', { type: 'submit' }, 'Wrap')),
    h('form', { onsubmit: (e: Event) => { e.preventDefault(); void unwrap(); } },
      field('unwrap-amount', 'vMETIS to unwrap', unwrapInput, `You have ${metis(wrapped, 'vMETIS')} wrapped.`),
      h('button', { type: 'submit' }, 'Unwrap')),
  );
}

async function delegateSection(app: App, me: Address, current: Address): Promise<HTMLElement> {
  const { votes } = app.suite.contracts;
  const to = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', value: current === zeroAddress ? me : current });
  to.id = 'delegatee';
  const out = h('div', { id: 'signed-delegation' });
  const target = (): Address | undefined => {
    const text = to.value.trim();
    if (!isAddress(text)) {
      status('failed', `Delegating: "${text}" is not an address (0x followed by 40 hex digits).`);
      return undefined;
    }
    return getAddress(text);
  };
  const byTransaction = async () => {
    const delegatee = target();
    if (delegatee) await send(app, `Delegating to ${isAddressEqual(delegatee, me) ? 'yourself' : delegatee}`, [step('', votes, metisVotesAbi, 'delegate', [delegatee])]);
  };
  const bySignature = async () => {
    const delegatee = target();
    if (!delegatee || !app.wallet) return;
    try {
      const [nonce, domain, clock] = await Promise.all([
        readContract(app.reader, { address: votes, abi: metisVotesAbi, functionName: 'nonces', args: [me] }),
        readContract(app.reader, { address: votes, abi: metisVotesAbi, functionName: 'eip712Domain' }),
        readContract(app.reader, { address: votes, abi: metisVotesAbi, functionName: 'clock' }),
      ]);
      const expiry = BigInt(clock) + 7n * 86_400n;
      status('working', 'Signing a delegation: confirm it in your wallet (no gas, nothing is sent).');
      const signature = await signTypedData(app.wallet.signer(app.chain), {
        account: me,
        domain: { name: domain[1], version: domain[2], chainId: Number(domain[3]), verifyingContract: domain[4] },
        types: { Delegation: [{ name: 'delegatee', type: 'address' }, { name: 'nonce', type: 'uint256' }, { name: 'expiry', type: 'uint256' }] },
        primaryType: 'Delegation',
        message: { delegatee, nonce, expiry },
      });
      const signed = { delegator: me, delegatee, nonce: nonce.toString(), expiry: expiry.toString(), signature };
      out.replaceChildren(
        h('p', {}, `Signed: anyone may submit it until ${date(expiry)} and pay its gas. Give them this:`),
        h('pre', { class: 'signed', id: 'delegation-json' }, JSON.stringify(signed, null, 2)),
      );
      status('confirmed', 'Delegation signed. Nothing was sent; whoever submits it pays the gas.');
    } catch (error) {
      failed('Signing the delegation', error);
    }
  };
  const submitted = h('textarea', { rows: 6, spellcheck: 'false', placeholder: '{"delegatee": "0x…", "nonce": "0", "expiry": "…", "signature": "0x…"}' });
  const submit = async () => {
    try {
      const given = JSON.parse(submitted.value) as { delegatee: string; nonce: string; expiry: string; signature: Hex };
      if (!isAddress(given.delegatee)) throw new Error('"delegatee" is not an address');
      if (!isHex(given.signature) || size(given.signature) !== 65) throw new Error('"signature" is not 65 bytes of hex (r, s, v)');
      // r, s and v as the wallet returned them (v is 27 or 28; 0 or 1 from some wallets).
      const [r, s, v] = [slice(given.signature, 0, 32), slice(given.signature, 32, 64), hexToNumber(slice(given.signature, 64, 65))];
      await send(app, 'Submitting a signed delegation', [
        step('', votes, metisVotesAbi, 'delegateBySig', [getAddress(given.delegatee), BigInt(given.nonce), BigInt(given.expiry), v < 27 ? v + 27 : v, r, s]),
      ]);
    } catch (error) {
      failed('Submitting the delegation', error);
    }
  };
  const clock = await readContract(app.reader, { address: votes, abi: metisVotesAbi, functionName: 'clock' });
  return section(
    'Delegate your votes',
    h('p', {}, 'Your wrapped METIS and your locked stake vote through one delegate. Delegate to yourself to vote directly. ',
      `Votes count as they stood at each proposal's snapshot, so a change now counts for what has its snapshot after ${date(clock)}.`),
    h('form', { onsubmit: (e: Event) => { e.preventDefault(); void byTransaction(); } },
      field('delegatee', 'Delegate to', to, 'An address; yours is filled in.'),
      h('div', { class: 'buttons' },
        h('button', { type: 'submit', id: 'delegate-tx' }, 'Delegate (transaction)'),
        h('button', { type: 'button', id: 'delegate-sign', onclick: () => void bySignature() }, 'Sign a delegation for someone else to submit'))),
    out,
    h('details', { id: 'submit-delegation-box' }, h('summary', {}, 'Submit a delegation someone signed'),
      h('form', { onsubmit: (e: Event) => { e.preventDefault(); void submit(); } },
        field('delegation-submit', 'The signed delegation (JSON)', submitted),
        h('button', { type: 'submit', id: 'submit-delegation' }, 'Submit it (you pay the gas)'))),
  );
}
