// The page's state, shared by every view.

import type { Chain } from 'viem';
import type { Reader, Suite } from './suite';
import type { Discovered, Wallet } from './wallet';

export interface App {
  suite: Suite;
  chain: Chain;
  reader: Reader;
  /** The connected wallet, if any. */
  wallet: Wallet | null;
  /** Every wallet the browser announced. */
  wallets: Discovered[];
  connect(found: Discovered): Promise<void>;
  /** Asks the wallet to switch to the page's chain. */
  switchNetwork(): Promise<void>;
  /** Reads the chain again and redraws the current view. */
  refresh(): Promise<void>;
}

/** Whether the wallet is connected and on the page's chain. */
export function ready(app: App): app is App & { wallet: Wallet } {
  return app.wallet !== null && app.wallet.chainId === app.suite.chainId;
}
