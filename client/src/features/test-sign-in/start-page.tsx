import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useMutation } from '@apollo/client/react';
import { ErrorState, Loading } from '../../components/states';
import { StartTestSignInMutation } from './api';

/**
 * Opened in a new tab by a connection's "Test sign-in": starts an SP-initiated sign-in marked as a test and sends the
 * browser to the connection's identity provider. It ends on the result page, never at the app.
 */
export function TestSignInStartPage() {
  const [params] = useSearchParams();
  const connectionId = params.get('connection') ?? '';
  const [start, { error }] = useMutation(StartTestSignInMutation);
  const [attempt, setAttempt] = useState(0);
  const started = useRef(-1);
  useEffect(() => {
    if (!connectionId || started.current === attempt) return;
    started.current = attempt;
    start({ variables: { connectionId } }).then((result) => {
      const url = result.data?.startTestSignIn.url;
      if (url) window.location.assign(url);
    }).catch(() => null);
  }, [attempt, connectionId, start]);
  return (
    <div className="page">
      <div className="page-header"><div><h1>Test sign-in</h1><p>An SP-initiated sign-in through the connection’s identity provider, as your app would start it.</p></div></div>
      <section className="card"><div className="card-body">
        {!connectionId ? <p>No connection named. Open “Test sign-in” from a connection’s page. <Link to="/organizations">Organizations</Link></p>
          : error ? <ErrorState error={error} onRetry={() => setAttempt((n) => n + 1)} />
          : <Loading label="Sending you to the identity provider…" />}
      </div></section>
    </div>
  );
}
