// The holder's page: boot, the header with the wallet and the network, the navigation, and
// the view the address names (#/, #/proposals, #/proposals/ID, #/election, #/operator).

import { getBlock } from 'viem/actions';
import { ready, type App } from './app';
import { h, note } from './dom';
import { explain } from './errors';
import { date, short } from './format';
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
  const app: App = {
    suite,
    chain,
    reader: readerOf(chain),
    wallet: null,
    wallets: [],
    async connect(found: Discovered) {
      status('working', `Connecting ${found.info.name}: approve the request in the wallet.`);
      try {
        const wallet = await Wallet.connect(found);
        wallet.watch(() => void app.refresh());
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
        wallet.watch(() => void app.refresh());
        app.wallet = wallet;
      }
      return render(app);
    }, () => render(app));
  });
  window.addEventListener('hashchange', () => void render(app));
  await render(app);
}

let rendering = 0;

/** Draws the header and the current view from fresh reads. */
async function render(app: App): Promise<void> {
  const ticket = ++rendering;
  const { path, id } = route();
  const header = document.getElementById('header') as HTMLElement;
  const view = document.getElementById('view') as HTMLElement;
  const alert = document.getElementById('alert') as HTMLElement;
  try {
    const block = await getBlock(app.reader);
    const body = await (path === '#/proposals' && id !== undefined
      ? proposalView(app, BigInt(id))
      : path === '#/proposals'
        ? proposalsView(app)
        : path === '#/election'
          ? electionView(app)
          : path === '#/operator'
            ? operatorView(app)
            : accountView(app));
    if (ticket !== rendering) return;
    alert.replaceChildren();
    view.classList.remove('stale');
    header.replaceChildren(headerOf(app, block.number, block.timestamp, path));
    view.replaceChildren(body);
    view.setAttribute('data-block', String(block.number));
  } catch (error) {
    if (ticket !== rendering) return;
    const why = explain(error);
    const retry = h('button', { type: 'button', onclick: () => void render(app) }, 'Retry');
    const stale = view.hasAttribute('data-block') ? ` What the page shows was read at block ${view.getAttribute('data-block')} and may be out of date.` : '';
    alert.replaceChildren(note('Error', why.kind === 'network' ? why.text : `Reading the chain failed: ${why.text}`, stale, ' ', retry));
    view.classList.add('stale');
    header.replaceChildren(headerOf(app, undefined, undefined, path));
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
