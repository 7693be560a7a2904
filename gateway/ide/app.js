/* The IDE page: GraphiQL with the explorer plugin, every ready-made operation of examples/ as a
 * tab and, in development on this machine's loopback address, a demo token per role. Plain
 * browser JavaScript, served as is by the gateway.
 *
 * Nothing of a session outlives the page: GraphiQL keeps its tabs, editors and history in the
 * memory of this page (pageStorage), never in localStorage, sessionStorage or IndexedDB, so a
 * shared workstation keeps no token and no list of the people looked up. */
(async function main() {
  const config = await (await fetch('/ide/config.json')).json();
  const params = new URLSearchParams(location.search);
  const bar = document.getElementById('tokens');
  let token = null;

  if (config.devTokens) {
    token = rolePicker(config, params, bar, (chosen) => {
      token = chosen;
      render();
    });
  } else if (config.devTokensUnavailable) {
    // Why there is no role picker: production, or not this machine's loopback address.
    bar.append(note('no-tokens', config.devTokensUnavailable));
  }

  // With a demo token the IDE adds it to each request itself: no tab, editor or history holds it.
  const headers = config.devTokens ? '' : JSON.stringify({ Authorization: 'Bearer <paste your token>' }, null, 2);
  const tabs = readyMadeTabs(config, params, headers, bar);
  const storage = pageStorage();
  const root = ReactDOM.createRoot(document.getElementById('ide'));
  function render() {
    root.render(
      React.createElement(GraphiQL, {
        // A new fetcher after a role change: GraphiQL fetches the schema again, for that role.
        fetcher: fetcherWith(config.endpoint, token),
        storage,
        defaultTabs: tabs,
        // GraphiQL 3 fills the editors of the first tab from these, not from defaultTabs.
        variables: tabs[0].variables,
        defaultHeaders: headers,
        headerEditorEnabled: true,
        shouldPersistHeaders: false,
        defaultEditorToolsVisibility: true,
        plugins: [GraphiQLPluginExplorer.explorerPlugin()],
        toolbar: { additionalComponent: HistoryWithoutVariables },
      }),
    );
  }
  render();
})();

/**
 * The demo token picker: each role with and without the pii clearance, chosen by the address
 * (`?role=police_officer&pii=false`; analyst with pii when it names none). A role the address
 * names that does not exist is shown as such, with no token. Returns the chosen token; a change
 * keeps the rest of the address (the passport) and the open tabs.
 */
function rolePicker(config, params, bar, onChange) {
  const role = params.get('role') || 'analyst';
  const pii = params.get('pii') !== 'false';
  const select = document.createElement('select');
  select.id = 'role';
  select.title = 'Sent with every request whose Headers pane has no Authorization header';
  for (const choice of config.devTokens) {
    const label = `demo token: ${choice.role} (${choice.pii ? 'pii' : 'no pii'})`;
    select.append(new Option(label, valueOf(choice), false, choice.role === role && choice.pii === pii));
  }
  const chosen = config.devTokens.find((choice) => choice.role === role && choice.pii === pii);
  if (!chosen) {
    const unknown = new Option(`unknown role: ${role} (no token)`, '', false, true);
    unknown.id = 'unknown-role';
    select.prepend(unknown);
  }
  select.addEventListener('change', () => {
    const choice = config.devTokens.find((candidate) => valueOf(candidate) === select.value);
    if (!choice) return;
    document.getElementById('unknown-role')?.remove();
    params.set('role', choice.role);
    if (choice.pii) params.delete('pii');
    else params.set('pii', 'false');
    history.replaceState(null, '', `?${params}`);
    onChange(choice.token);
  });
  bar.append(select);
  return chosen ? chosen.token : null;
}

const valueOf = (choice) => `${choice.role}:${choice.pii ? 'pii' : 'no-pii'}`;

/**
 * One tab per ready-made operation, the full view first. A link `/?passport=CHN:E1234567` turns
 * the full-view tab into that passport's (named after it), so opening links never piles up tabs.
 */
function readyMadeTabs(config, params, headers, bar) {
  const passport = params.get('passport');
  const match = passport && /^([A-Za-z]{3}):([A-Za-z0-9]+)$/.exec(passport.trim());
  if (passport && !match)
    bar.append(note('passport-note', `passport=${passport} is not COUNTRY:NUMBER (CHN:E1234567)`));
  return config.operations.map((operation) => {
    let { query, variables } = operation;
    if (match && operation.name === config.fullView) {
      const [, country, number] = match;
      query = query.replace(`query ${operation.name}`, `query FullView_${country}_${number}`);
      variables = { number, country };
    }
    return { query, variables: JSON.stringify(variables, null, 2), headers };
  });
}

/**
 * The fetcher for GraphiQL: the demo token (if any) on every request that brings no Authorization
 * of its own. The docs and the explorer take the schema from /ide/schema.json for the roles that
 * may have it, so they work while introspection through /graphql is off (production); other roles
 * get it through /graphql where introspection is on (development), else the refusal says why.
 */
function fetcherWith(endpoint, token) {
  const http = GraphiQL.createFetcher({ url: endpoint });
  const withToken = (options) => {
    const headers = { ...((options && options.headers) || {}) };
    if (token && !Object.keys(headers).some((name) => name.toLowerCase() === 'authorization'))
      headers.Authorization = `Bearer ${token}`;
    return { ...options, headers };
  };
  return async (request, options) => {
    const sent = withToken(options);
    if (request.operationName === 'IntrospectionQuery') {
      const response = await fetch('/ide/schema.json', { headers: sent.headers });
      const answer = await response.json();
      if (response.status !== 403) return answer;
      const introspected = await http(request, sent);
      return introspected && introspected.data ? introspected : answer;
    }
    return http(request, sent);
  };
}

/**
 * GraphiQL's storage, in the memory of this page only: tabs, editors and panel sizes live as long
 * as the page. The history is not kept here at all (GraphiQL holds it in memory as well), so no
 * copy of it exists outside HistoryWithoutVariables' reach.
 */
function pageStorage() {
  const items = new Map();
  const HISTORY = ['graphiql:queries', 'graphiql:favorites'];
  return {
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => {
      if (!HISTORY.includes(key)) items.set(key, String(value));
    },
    removeItem: (key) => void items.delete(key),
    clear: () => items.clear(),
    get length() {
      return items.size;
    },
  };
}

/**
 * The history holds operations without their variables (the passports and ids looked up): run
 * again from the history, an operation comes back with empty variables. Rendered in the toolbar,
 * where GraphiQL's history is in reach; it shows nothing.
 */
function HistoryWithoutVariables() {
  const history = GraphiQL.React.useHistoryContext();
  const items = history ? history.items : [];
  React.useEffect(() => {
    for (const item of items) delete item.variables;
  }, [items]);
  return null;
}

function note(id, text) {
  const element = document.createElement('span');
  element.id = id;
  element.className = 'note';
  element.textContent = text;
  return element;
}
