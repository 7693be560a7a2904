/* The IDE page: GraphiQL with the explorer plugin, the ready-made operations as tabs and, in
 * development on this machine's loopback address, a demo token per role. Plain browser
 * JavaScript, served as is by the gateway. */
(async function main() {
  const config = await (await fetch('/ide/config.json')).json();
  const params = new URLSearchParams(location.search);
  const role = params.get('role') || 'analyst';
  const token = config.devTokens ? config.devTokens[role] : null;
  const headers = JSON.stringify({ Authorization: token ? `Bearer ${token}` : 'Bearer <paste your token>' }, null, 2);

  if (config.devTokens) {
    const select = document.createElement('select');
    select.id = 'role';
    for (const name of Object.keys(config.devTokens))
      select.append(new Option(`demo token: ${name} (pii)`, name, false, name === role));
    select.addEventListener('change', () => {
      location.search = `?role=${select.value}`;
    });
    document.getElementById('tokens').append(select);
  } else if (config.devTokensUnavailable) {
    // Why there is no role picker: production, or not this machine's loopback address.
    const note = document.createElement('span');
    note.id = 'no-tokens';
    note.textContent = config.devTokensUnavailable;
    document.getElementById('tokens').append(note);
  }

  const http = GraphiQL.createFetcher({ url: config.endpoint });
  // Docs and explorer: the schema comes from /ide/schema.json for the roles that may have it, so
  // it works while introspection through /graphql is off (production). Other roles get it through
  // /graphql where introspection is on (development), else the refusal says why.
  const fetcher = async (request, options) => {
    if (request.operationName === 'IntrospectionQuery') {
      const response = await fetch('/ide/schema.json', { headers: (options && options.headers) || {} });
      const answer = await response.json();
      if (response.status !== 403) return answer;
      const introspected = await http(request, options);
      return introspected && introspected.data ? introspected : answer;
    }
    return http(request, options);
  };

  // A link can open the full view of one passport: /?passport=CHN:E12345678
  const passport = (params.get('passport') || '').split(':');
  const tabs = config.operations.map((operation, index) => {
    const variables =
      index === 0 && passport.length === 2 ? { number: passport[1], country: passport[0] } : operation.variables;
    return { query: operation.query, variables: JSON.stringify(variables, null, 2), headers };
  });
  const root = ReactDOM.createRoot(document.getElementById('ide'));
  root.render(
    React.createElement(GraphiQL, {
      fetcher,
      defaultTabs: tabs,
      // GraphiQL 3 fills the editors of the first tab from these, not from defaultTabs.
      variables: tabs[0].variables,
      defaultHeaders: headers,
      headerEditorEnabled: true,
      shouldPersistHeaders: false,
      defaultEditorToolsVisibility: true,
      plugins: [GraphiQLPluginExplorer.explorerPlugin()],
    }),
  );
})();
