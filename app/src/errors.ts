// Why something failed, in words: a revert decoded by name and fields from every error of the
// suite (nested revert data too, as `TokenCallFailed` carries the token's), a request the user
// cancelled in the wallet, or a chain that does not answer.

import { BaseError, ContractFunctionRevertedError, decodeErrorResult, type Hex } from 'viem';
import { errorsAbi } from './gen/abi';

export type Failure =
  | { kind: 'rejected'; text: string }
  | { kind: 'revert'; name: string; call: string; text: string }
  | { kind: 'network'; text: string }
  | { kind: 'other'; text: string };

const STATES = ['Pending', 'Active', 'Canceled', 'Defeated', 'Succeeded', 'Queued', 'Expired', 'Executed'];
const PHASES = ['none', 'applications', 'voting', 'vetting', 'ended', 'finalized', 'canceled'];

/** The governor's `expectedStates` bitmap as state names. */
function statesOf(bitmap: bigint): string {
  return STATES.filter((_, i) => (bitmap >> BigInt(i)) & 1n).join(' or ');
}

/** An argument as text; a `bytes` argument that holds revert data (as `TokenCallFailed`'s
 * `reason` does) is decoded too. */
function argText(value: unknown, type?: string): string {
  if (type === 'bytes' && typeof value === 'string' && /^0x[0-9a-fA-F]{8,}$/.test(value)) {
    const inner = decode(value as Hex);
    if (inner) return inner.call;
  }
  if (Array.isArray(value)) return `[${value.map((v) => argText(v)).join(', ')}]`;
  return String(value);
}

/** Revert data decoded against the suite's errors (or Error(string)/Panic), if it is one. */
export function decode(data: Hex): { name: string; call: string; args: readonly unknown[] } | undefined {
  try {
    const decoded = decodeErrorResult({ abi: errorsAbi, data });
    const inputs = decoded.abiItem.inputs;
    const args = decoded.args ?? [];
    const fields = args.map((a, i) => `${inputs[i]?.name ? `${inputs[i].name}: ` : ''}${argText(a, inputs[i]?.type)}`);
    return { name: decoded.errorName, call: `${decoded.errorName}(${fields.join(', ')})`, args };
  } catch {
    try {
      const decoded = decodeErrorResult({ data });
      return { name: decoded.errorName, call: `${decoded.errorName}(${(decoded.args ?? []).map((a) => argText(a)).join(', ')})`, args: decoded.args ?? [] };
    } catch {
      return undefined;
    }
  }
}

/** A plain sentence for the errors a holder or an operator meets most. */
function sentence(name: string, args: readonly unknown[]): string {
  const a = args as readonly bigint[];
  switch (name) {
    case 'GovernorUnexpectedProposalState':
      return `The proposal is ${STATES[Number(a[1])] ?? 'in another state'}; this needs it to be ${statesOf(BigInt(args[2] as Hex)) || 'in another state'}.`;
    case 'GovernorAlreadyCastVote':
      return 'This account has already voted on this proposal.';
    case 'GovernorInsufficientProposerVotes':
      return 'This account has fewer votes than a proposal needs.';
    case 'GovernorInvalidSignature':
      return 'The signature does not match the ballot (signed by someone else, for another proposal, or already used).';
    case 'TimelockUnexpectedOperationState':
      return 'The timelock is not ready to run this yet (its delay has not passed), or has already run it.';
    case 'ERC20InsufficientBalance':
      return `Not enough tokens: this account holds less than the action needs.`;
    case 'ERC20InsufficientAllowance':
      return 'The contract may not take these tokens yet: approve it first.';
    case 'ERC5805FutureLookup':
      return 'That moment has not passed yet: votes at a time are known once it is over.';
    case 'InvalidAccountNonce':
      return 'This signature was already used (its nonce is spent).';
    case 'VotesExpiredSignature':
      return 'The signed delegation has expired.';
    case 'NoVotingPower':
      return 'This account had no votes when voting opened: votes count as they stood at the window\'s start, so delegate before the next one opens.';
    case 'AlreadyVoted':
      return 'This account has already voted on this candidate in this round.';
    case 'UnexpectedPhase':
      return `The round is in its ${PHASES[Number(a[1])] ?? 'other'} phase; this needs the ${PHASES[Number(a[2])] ?? 'other'} phase.`;
    case 'NothingToClaim':
      return 'There is nothing to claim.';
    case 'EnforcedPause':
      return 'This is paused by governance for now.';
    case 'WithdrawalExceedsStake':
      return 'That is more than the stake this account may withdraw.';
    case 'InvalidLockAmount':
    case 'LockAboveMax':
    case 'WithdrawalBelowMinLock':
      return 'The stake would leave the pool\'s bounds (its minimum or maximum lock).';
    case 'CommissionAboveCap':
      return 'That commission is above the cap governance set.';
    case 'UnlockNotReady':
      return 'The exited stake is not claimable yet: the exit delay has not passed.';
    default:
      return 'The contract refused the call.';
  }
}

/** Why `error` happened. */
export function explain(error: unknown): Failure {
  const codeOf = (e: unknown): number | undefined => (e && typeof e === 'object' && 'code' in e ? Number((e as { code: unknown }).code) : undefined);
  let rejected = false;
  let network = false;
  const codes = new Set<number>();
  let data: Hex | undefined;
  let revert: ContractFunctionRevertedError | undefined;
  if (error instanceof BaseError) {
    error.walk((e) => {
      const code = codeOf(e);
      if (code !== undefined) codes.add(code);
      if (code === 4001 || (e instanceof Error && e.name === 'UserRejectedRequestError')) rejected = true;
      if (e instanceof Error && (e.name === 'HttpRequestError' || e.name === 'TimeoutError')) network = true;
      if (e instanceof ContractFunctionRevertedError) revert = e;
      if (!data && e && typeof e === 'object' && 'data' in e && typeof (e as { data: unknown }).data === 'string') {
        const d = (e as { data: string }).data;
        if (/^0x[0-9a-fA-F]{8,}$/.test(d)) data = d as Hex;
      }
      return false;
    });
  } else {
    const code = codeOf(error);
    if (code !== undefined) codes.add(code);
    if (code === 4001) rejected = true;
  }
  if (rejected) return { kind: 'rejected', text: 'You cancelled the request in your wallet; nothing was sent.' };
  const walletCode = [...codes].find((c) => c === 4100 || c === 4200 || c === 4900 || c === 4901);
  if (walletCode === 4100) return { kind: 'other', text: 'The wallet has not allowed this page to use the account: connect it again.' };
  if (walletCode === 4200) return { kind: 'other', text: 'The wallet does not support this request.' };
  if (walletCode === 4900 || walletCode === 4901) return { kind: 'network', text: 'The wallet is disconnected from the chain: check its network and reload.' };
  const found = revert as ContractFunctionRevertedError | undefined;
  const raw = found?.raw ?? data;
  const decoded = raw ? decode(raw) : undefined;
  if (decoded) return { kind: 'revert', name: decoded.name, call: decoded.call, text: sentence(decoded.name, decoded.args) };
  if (found?.reason) return { kind: 'revert', name: 'Error', call: `Error(${found.reason})`, text: found.reason };
  if (found) return { kind: 'revert', name: 'unknown', call: raw ?? 'no revert data', text: 'The contract refused the call without a known reason.' };
  if (network || (error instanceof TypeError && /fetch/i.test(error.message))) {
    return { kind: 'network', text: 'The chain is not answering. Check that the node runs (`dseq devnode`) and reload.' };
  }
  const message = error instanceof BaseError ? error.shortMessage : error instanceof Error ? error.message : String(error);
  if (/not answering|ECONNREFUSED|Failed to fetch/i.test(message)) return { kind: 'network', text: `The chain is not answering: ${message}` };
  return { kind: 'other', text: message };
}
