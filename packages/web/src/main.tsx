import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles/index.css';

function render(): void {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

// The end-to-end tests and the benchmark set this flag before the page loads (e2e/harness.ts):
// the page then exposes a read-only view of its state as window.__gradcamTest (src/testing/).
if (window.__GRADCAM_TEST_HOOKS__) {
  void import('./testing/install-test-hooks').then((t) => t.installTestHooks()).then(render);
} else {
  render();
}
