// The GraphiQL page investgraph serves at /: GraphiQL with the explorer
// plugin, talking to /graphql on the same origin. This bundle is the page's
// only script, because the Content-Security-Policy allows no inline code.
import { explorerPlugin } from '@graphiql/plugin-explorer';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { setNonce } from 'get-nonce';
import { GraphiQL } from 'graphiql';
import React from 'react';
import { createRoot } from 'react-dom/client';

import 'graphiql/graphiql.css';
import '@graphiql/plugin-explorer/dist/style.css';
import './page.css';

// GraphiQL's dialogs lock scrolling with a <style> element they add at run
// time (react-remove-scroll). The page's CSP allows such elements only with
// the nonce the server puts on this script for each response.
setNonce(document.currentScript?.nonce);

// defaultQuery fills the editor on a first visit; afterwards GraphiQL
// restores the last query from localStorage.
const defaultQuery = `# A company, its projects and their capacity over time.
# Run it with Ctrl-Enter or the run button. The buttons on the left open
# the schema's documentation, your query history and the explorer.
{
  company(name: "CITIC") {
    name
    projects {
      role
      project {
        name
        capacityHistory {
          metric
          value
          unit
          asOf
          status
        }
      }
    }
  }
}
`;

// The gateway does not stream (@defer, subscriptions), so the plain fetcher
// is enough; it asks for the GraphQL-over-HTTP media type first, whose
// status codes say more.
const fetcher = createGraphiQLFetcher({
  url: '/graphql',
  enableIncrementalDelivery: false,
  headers: { accept: 'application/graphql-response+json, application/json' },
});

const plugins = [explorerPlugin()];

createRoot(document.getElementById('graphiql')).render(
  <GraphiQL fetcher={fetcher} plugins={plugins} defaultQuery={defaultQuery} />,
);
