import { render } from 'preact';
import { send, subscribe } from '../../messaging/client.ts';
import { askToSeeServer } from '../../ui/ask-to-see.ts';
import { download } from '../../ui/download.ts';
import { preferences } from '../../ui/preferences.ts';
import '../../ui/styles.css';
import { OptionsApp } from './options-app.tsx';

async function main(): Promise<void> {
  const { server } = await preferences.getValue();
  render(
    <OptionsApp
      client={{ send, subscribe }}
      defaultServer={server}
      onServerUsed={(s) => void preferences.setValue({ server: s })}
      copy={(text) => navigator.clipboard.writeText(text)}
      download={download}
      askToSee={askToSeeServer}
    />,
    document.getElementById('app')!,
  );
}

void main();
