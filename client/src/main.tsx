import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApolloProvider } from '@apollo/client/react';
import { RouterProvider } from 'react-router';
import { createApolloClient } from './lib/apollo';
import { EnvironmentProvider } from './app/environment';
import { FeedbackProvider } from './components/feedback';
import { router } from './app/router';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApolloProvider client={createApolloClient()}>
      <EnvironmentProvider>
        <FeedbackProvider>
          <RouterProvider router={router} />
        </FeedbackProvider>
      </EnvironmentProvider>
    </ApolloProvider>
  </StrictMode>,
);
