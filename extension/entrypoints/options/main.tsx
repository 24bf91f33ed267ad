import { render } from 'preact';
import { send, subscribe } from '../../messaging/client.ts';
import { preferences } from '../../ui/preferences.ts';
import '../../ui/styles.css';
import { OptionsApp } from './options-app.tsx';

function download(fileName: string, json: string): void {
  const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: fileName });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function main(): Promise<void> {
  const { server } = await preferences.getValue();
  render(
    <OptionsApp
      client={{ send, subscribe }}
      defaultServer={server}
      onServerUsed={(s) => void preferences.setValue({ server: s })}
      copy={(text) => navigator.clipboard.writeText(text)}
      download={download}
    />,
    document.getElementById('app')!,
  );
}

void main();
