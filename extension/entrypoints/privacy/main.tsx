// The privacy policy, from PRIVACY.md at build time: the page a member reads is the text the stores link to.
import { render } from 'preact';
import policy from '../../../PRIVACY.md?raw';
import { Markdown } from '../../ui/markdown.tsx';
import '../../ui/styles.css';

render(
  <main class="page prose">
    <Markdown source={policy} />
  </main>,
  document.getElementById('app')!,
);
