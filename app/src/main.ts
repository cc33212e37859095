// The holder's page: boot, the header with the wallet and the network, the navigation, and
// the view the address names (#/, #/proposals, #/proposals/ID, #/election, #/operator).

import { getBlock, readContract } from 'viem/actions';
import { ready, type App } from './app';
import { h, note } from './dom';
import { explain } from './errors';
import { date, setDecimals, short } from './format';
import { erc20Abi } from './gen/abi';
import { chainOf, loadSuite, readerOf } from './suite';
import { failed, status } from './tx';
import { discover, Wallet, type Discovered } from './wallet';
import { accountView } from './views/account';
import { electionView } from './views/election';
import { operatorView } from './views/operator';
import { proposalView, proposalsView } from './views/proposals';

/** Where the page remembers which wallet it connected (its EIP-6963 rdns). */
const REMEMBERED = 'dseq.wallet';

const ROUTES: [string, string][] = [
  ['#/', 'Account'],
  ['#/proposals', 'Proposals'],
  ['#/election', 'Election'],
  ['#/operator', 'Operator'],
];

function route(): { path: string; id?: string } {
  const hash = window.location.hash || '#/';
  const match = /^#\/proposals\/(\d+)$/.exec(hash);
  if (match) return { path: '#/proposals', id: match[1] };
  return { path: ROUTES.some(([p]) => p === hash) ? hash : '#/' };
}

async function boot(): Promise<void> {
  const view = document.getElementById('view') as HTMLElement;
  let suite;
  try {
    suite = await loadSuite();
  } catch (error) {
    view.replaceChildren(note('Error', String(error instanceof Error ? error.message : error)));
    return;
  }
  const chain = chainOf(suite);
  const reader = readerOf(chain);
  // Amounts are shown in the token's units; a chain that does not answer yet keeps METIS's 18.
  readContract(reader, { address: suite.token, abi: erc20Abi, functionName: 'decimals' }).then(setDecimals, () => {});
  const app: App = {
    suite,
    chain,
    reader,
    wallet: null,
    wallets: [],
    async connect(found: Discovered) {
      status('working', `Connecting ${found.info.name}: approve the request in the wallet.`);
      try {
        const wallet = await Wallet.connect(found);
        watch(app, wallet);
        app.wallet = wallet;
        localStorage.setItem(REMEMBERED, found.info.rdns);
        status('confirmed', `Connected ${found.info.name}: ${wallet.account}.`);
      } catch (error) {
        failed(`Connecting ${found.info.name}`, error);
      }
      await app.refresh();
    },
    async switchNetwork() {
      if (!app.wallet) return;
      status('working', `Switching the wallet to ${suite.chainName}: approve it in the wallet.`);
      try {
        await app.wallet.switchTo(chain);
        status('confirmed', `The wallet is on ${suite.chainName}.`);
      } catch (error) {
        failed(`Switching to ${suite.chainName}`, error);
      }
      await app.refresh();
    },
    refresh: () => render(app),
  };
  discover((wallets) => {
    app.wallets = wallets;
    if (app.wallet) return;
    const remembered = wallets.find((w) => w.info.rdns === localStorage.getItem(REMEMBERED));
    if (!remembered) return void render(app);
    // The wallet this page connected before: reconnect without a prompt if it still shares an account.
    void Wallet.resume(remembered).then((wallet) => {
      if (wallet && !app.wallet) {
        watch(app, wallet);
        app.wallet = wallet;
      }
      return render(app);
    }, () => render(app));
  });
  // Only the page's own routes navigate; the skip link just moves focus to the content.
  window.addEventListener('hashchange', () => {
    if (window.location.hash.startsWith('#/') || window.location.hash === '') void render(app);
  });
  document.querySelector('a.skip')?.addEventListener('click', (event) => {
    event.preventDefault();
    (document.getElementById('view') as HTMLElement).focus();
  });
  await render(app);
}

/** Follows the wallet's account and network; forgets it when it stops sharing an account. */
function watch(app: App, wallet: Wallet): void {
  wallet.watch(
    () => void app.refresh(),
    () => {
      app.wallet = null;
      localStorage.removeItem(REMEMBERED);
      status('cancelled', `${wallet.info.name} disconnected from this page.`);
      void app.refresh();
    },
  );
}

let rendering = 0;
let shown = '';

const TITLES: Record<string, string> = { '#/': 'Account', '#/proposals': 'Proposals', '#/election': 'Election', '#/operator': 'Operator' };

/** Draws the header and the current view from fresh reads. After a navigation, focus moves to
 * the view's heading; after a refresh, it returns to the control that had it. */
async function render(app: App): Promise<void> {
  const ticket = ++rendering;
  const { path, id } = route();
  const here = `${path}/${id ?? ''}`;
  const header = document.getElementById('header') as HTMLElement;
  const view = document.getElementById('view') as HTMLElement;
  const alert = document.getElementById('alert') as HTMLElement;
  const focused = document.activeElement instanceof HTMLElement && document.activeElement.id ? document.activeElement.id : undefined;
  let block;
  try {
    block = await getBlock(app.reader);
  } catch (error) {
    if (ticket !== rendering) return;
    const why = explain(error);
    const retry = h('button', { type: 'button', onclick: () => void render(app) }, 'Retry');
    const stale = view.hasAttribute('data-block') ? ` What the page shows was read at block ${view.getAttribute('data-block')} and may be out of date.` : '';
    alert.replaceChildren(note('Error', why.kind === 'network' ? why.text : `Reading the chain failed: ${why.text}`, stale, ' ', retry));
    view.classList.add('stale');
    header.replaceChildren(headerOf(app, undefined, undefined, path));
    return;
  }
  let body: HTMLElement;
  try {
    body = await (path === '#/proposals' && id !== undefined
      ? proposalView(app, BigInt(id))
      : path === '#/proposals'
        ? proposalsView(app)
        : path === '#/election'
          ? electionView(app)
          : path === '#/operator'
            ? operatorView(app)
            : accountView(app));
  } catch (error) {
    const why = explain(error);
    const details = why.kind === 'revert' ? h('details', {}, h('summary', {}, 'What the contract said'), h('code', { class: 'revert' }, why.call)) : null;
    body = h('div', { class: 'page' }, note('Error', `This view could not be read: ${why.text}`, ' ', h('button', { type: 'button', onclick: () => void render(app) }, 'Retry')), details);
  }
  if (ticket !== rendering) return;
  alert.replaceChildren();
  view.classList.remove('stale');
  header.replaceChildren(headerOf(app, block.number, block.timestamp, path));
  view.replaceChildren(body);
  view.setAttribute('data-block', String(block.number));
  if (here !== shown) {
    shown = here;
    document.title = `${TITLES[path] ?? 'dseq'}${id ? ` ${id.slice(0, 8)}…` : ''} · dseq`;
    const heading = view.querySelector('h2');
    if (heading && document.activeElement !== document.body) {
      heading.setAttribute('tabindex', '-1');
      heading.focus();
    }
  } else if (focused) {
    document.getElementById(focused)?.focus();
  }
}

function headerOf(app: App, block: bigint | undefined, time: bigint | undefined, path: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  const wallet = app.wallet;
  let who: Node;
  if (!wallet) {
    who = h('span', { id: 'who' }, 'No wallet connected');
  } else if (!ready(app)) {
    who = h(
      'span',
      { id: 'who' },
      `${short(wallet.account)} on chain ${wallet.chainId}: wrong network `,
      h('button', { type: 'button', id: 'switch-network', onclick: () => void app.switchNetwork() }, `Switch to ${app.suite.chainName}`),
    );
  } else {
    who = h('span', { id: 'who', title: wallet.account }, `${short(wallet.account)} on ${app.suite.chainName} (${wallet.info.name})`);
  }
  const at = block === undefined ? 'chain not answering' : `block ${block}, ${date(time ?? 0n)}`;
  fragment.append(
    h('div', { class: 'title' }, h('h1', {}, 'dseq'), h('span', {}, 'sequencer staking and governance for METIS holders')),
    h(
      'div',
      { class: 'chain' },
      who,
      h('span', { id: 'clock' }, at),
      h('button', { type: 'button', id: 'refresh', onclick: () => void render(app) }, 'Refresh'),
    ),
    h(
      'nav',
      { 'aria-label': 'Sections' },
      h('ul', {}, ROUTES.map(([href, label]) => h('li', {}, h('a', { href, 'aria-current': href === path ? 'page' : null }, label)))),
    ),
  );
  return fragment;
}

void boot();
