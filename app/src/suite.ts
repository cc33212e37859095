// The deployment this page talks to, as `dseq app` serves it (`/suite.json`), and the client
// that reads the chain through the same origin's `/rpc` (proxied to the node by `dseq app`).

import { createClient, defineChain, http, type Address, type Chain, type Client, type HttpTransport } from 'viem';

export interface Suite {
  chainId: number;
  chainName: string;
  deployBlock: number;
  token: Address;
  tokenIsMock: boolean;
  contracts: {
    pool: Address;
    votes: Address;
    governor: Address;
    timelock: Address;
    election: Address;
    lstRegistry: Address;
    rewards: Address;
  };
}

export type Reader = Client<HttpTransport, Chain>;

/** The RPC URL a wallet should use for this chain: the page's own proxy. */
export function rpcUrl(): string {
  return new URL('/rpc', window.location.href).toString();
}

export async function loadSuite(): Promise<Suite> {
  const answer = await fetch('/suite.json', { cache: 'no-store' });
  if (!answer.ok) throw new Error(`/suite.json answered ${answer.status}: serve this page with \`dseq app\``);
  return (await answer.json()) as Suite;
}

export function chainOf(suite: Suite): Chain {
  return defineChain({
    id: suite.chainId,
    name: suite.chainName,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl()] } },
  });
}

/** Reads go to the node through `/rpc`, never through the wallet: they work without one. */
export function readerOf(chain: Chain): Reader {
  return createClient({ chain, transport: http(rpcUrl(), { retryCount: 0, timeout: 15_000 }) });
}

/** The suite contract at `address`, by name, for decoding proposal actions. */
export function contractName(suite: Suite, address: string): string | undefined {
  const lower = address.toLowerCase();
  if (suite.token.toLowerCase() === lower) return 'METIS';
  const names: Record<keyof Suite['contracts'], string> = {
    pool: 'locking-pool',
    votes: 'metis-votes',
    governor: 'governor',
    timelock: 'timelock',
    election: 'sequencer-election',
    lstRegistry: 'lst-registry',
    rewards: 'reward-distributor',
  };
  for (const [key, value] of Object.entries(suite.contracts)) {
    if (value && value.toLowerCase() === lower) return names[key as keyof Suite['contracts']];
  }
  return undefined;
}
