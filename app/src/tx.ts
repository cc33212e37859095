// A transaction from the page, as the holder sees it: checked against the chain first (a
// revert is shown decoded, before the wallet opens), then "confirm in your wallet", pending
// with its hash, and confirmed or failed; the page reads the chain again afterwards. Every
// state goes to the status region (role="status"), in words that do not rely on colour.

import type { Abi, Address, ContractFunctionArgs, ContractFunctionName, Hash } from 'viem';
import { simulateContract, waitForTransactionReceipt, writeContract } from 'viem/actions';
import { ready, type App } from './app';
import { h } from './dom';
import { explain } from './errors';
import { short } from './format';

/** One call to send. */
export interface Step {
  label: string;
  address: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
}

/** A step whose function and arguments are checked against the ABI at compile time. */
export function step<const abi extends Abi, name extends ContractFunctionName<abi, 'nonpayable' | 'payable'>>(
  label: string,
  address: Address,
  abi: abi,
  functionName: name,
  args: ContractFunctionArgs<abi, 'nonpayable' | 'payable', name>,
): Step {
  return { label, address, abi, functionName, args: args as readonly unknown[] };
}

type Kind = 'working' | 'pending' | 'confirmed' | 'failed' | 'cancelled';
const WORDS: Record<Kind, string> = {
  working: 'Waiting',
  pending: 'Pending',
  confirmed: 'Confirmed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** Writes a state to the status region: `Pending: Voting: 0x12ab…`. */
export function status(kind: Kind, text: string, ...extra: Node[]): void {
  const region = document.getElementById('status');
  if (!region) return;
  region.replaceChildren(h('p', { class: `state ${kind}`, 'data-state': kind }, h('strong', {}, `${WORDS[kind]}: `), text), ...extra);
}

let busy = false;

/** Disables every enabled button of the view while a transaction is under way (keyboard too),
 * and returns what re-enables them. */
function hold(): () => void {
  const held = [...document.querySelectorAll<HTMLButtonElement>('#view button:not([disabled])')];
  for (const b of held) {
    b.disabled = true;
    b.setAttribute('aria-disabled', 'true');
  }
  document.body.classList.add('busy');
  return () => {
    for (const b of held) {
      b.disabled = false;
      b.removeAttribute('aria-disabled');
    }
    document.body.classList.remove('busy');
  };
}

/** Sends `steps` in order (an approval, then the action) for `what`; returns whether all of
 * them were confirmed. The buttons of the page are disabled meanwhile. */
export async function send(app: App, what: string, steps: Step[], after?: () => Promise<void>): Promise<boolean> {
  if (busy) {
    status('working', `${what}: another transaction is under way; wait until it is confirmed or fails.`);
    return false;
  }
  if (!app.wallet) {
    status('failed', `${what}: connect a wallet first.`);
    return false;
  }
  if (!ready(app)) {
    const button = h('button', { type: 'button', onclick: () => void app.switchNetwork() }, `Switch to ${app.suite.chainName}`);
    status('failed', `${what}: your wallet is on chain ${app.wallet.chainId}, not ${app.suite.chainName}.`, button);
    return false;
  }
  busy = true;
  const release = hold();
  let done = false;
  try {
    for (const s of steps) {
      const hash = await one(app, what, s);
      if (!hash) return false;
    }
    done = true;
  } finally {
    busy = false;
    release();
  }
  await after?.();
  await app.refresh();
  return done;
}

/** One step; returns its hash once confirmed, or undefined after saying why not. */
async function one(app: App & { wallet: NonNullable<App['wallet']> }, what: string, s: Step): Promise<Hash | undefined> {
  const label = `${what}${s.label ? ` (${s.label})` : ''}`;
  const retry = () => h('button', { type: 'button', onclick: () => void send(app, what, [s]) }, 'Retry');
  status('working', `${label}: checking it against the chain…`);
  let request: unknown;
  try {
    ({ request } = await simulateContract(app.reader, { address: s.address, abi: s.abi, functionName: s.functionName, args: s.args, account: app.wallet.account } as never));
  } catch (error) {
    failed(`${label} would fail, so nothing was sent`, error);
    return undefined;
  }
  status('working', `${label}: confirm it in your wallet.`);
  let hash: Hash;
  try {
    hash = await writeContract(app.wallet.signer(app.chain), request as never);
  } catch (error) {
    const why = explain(error);
    if (why.kind === 'rejected') {
      status('cancelled', `${label}: ${why.text}`, retry());
    } else {
      failed(`${label}: the wallet did not send it`, error);
    }
    return undefined;
  }
  status('pending', `${label}: sent as ${short(hash)}, waiting for a block…`);
  try {
    const receipt = await waitForTransactionReceipt(app.reader, { hash, pollingInterval: 400, timeout: 120_000 });
    if (receipt.status !== 'success') {
      // The state moved between the check and the block (a deadline passed, someone else
      // acted first): the same call now says why.
      try {
        await simulateContract(app.reader, { address: s.address, abi: s.abi, functionName: s.functionName, args: s.args, account: app.wallet.account } as never);
        status('failed', `${label}: reverted on chain in block ${receipt.blockNumber} (${short(hash)}), for a reason that has since passed.`);
      } catch (error) {
        failed(`${label}: reverted on chain in block ${receipt.blockNumber} (${short(hash)})`, error);
      }
      return undefined;
    }
    status('confirmed', `${label}: confirmed in block ${receipt.blockNumber} (${short(hash)}).`);
    return hash;
  } catch (error) {
    failed(`${label}: no receipt for ${short(hash)}`, error);
    return undefined;
  }
}

/** A failure in the status region: the plain sentence, and the decoded call in a details box. */
export function failed(what: string, error: unknown): void {
  const why = explain(error);
  const details = why.kind === 'revert' ? [h('details', {}, h('summary', {}, 'What the contract said'), h('code', { class: 'revert' }, why.call))] : [];
  status(why.kind === 'rejected' ? 'cancelled' : 'failed', `${what}: ${why.text}`, ...details);
}
