import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/free-port';
import { ENGINES, freshDatabase, type TestDatabase } from './support/engines';
import { runCli, serveDesk } from './support/child';

const PASSWORD = 'correct horse battery';

describe.each(ENGINES)('desk user commands on %s', (engine) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await freshDatabase(engine);
  });
  afterEach(() => database.cleanup());

  it('creates users from a password on stdin, lists them as JSON lines and disables one', async () => {
    const admin = runCli(['user', 'create', '--email', 'Head@School.example', '--role', 'admin', '--password-stdin', ...database.flags], `${PASSWORD}\n`);
    expect(admin.stderr).toBe('');
    expect(admin.status).toBe(0);
    expect(JSON.parse(admin.stdout)).toMatchObject({ email: 'head@school.example', role: 'admin', disabled: false });
    expect(runCli(['user', 'create', '--email', 'rev@school.example', '--role', 'reviewer', '--password-stdin', ...database.flags], PASSWORD).status).toBe(0);

    const again = runCli(['user', 'create', '--email', 'rev@school.example', '--role', 'reviewer', '--password-stdin', ...database.flags], PASSWORD);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('exists already');
    const noStdin = runCli(['user', 'create', '--email', 'x@school.example', '--role', 'reviewer', ...database.flags]);
    expect(noStdin.status).toBe(1);
    expect(noStdin.stderr).toContain('--password-stdin');
    expect(runCli(['user', 'create', '--email', 'x@school.example', '--role', 'owner', '--password-stdin', ...database.flags], PASSWORD).status).toBe(1);
    expect(runCli(['user', 'create', '--email', 'x@school.example', '--role', 'reviewer', '--password-stdin', ...database.flags], 'short').status).toBe(1);

    const listed = runCli(['user', 'list', ...database.flags]);
    const users = listed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { email: string; role: string; disabled: boolean });
    expect(users.map((u) => [u.email, u.role, u.disabled])).toEqual([
      ['head@school.example', 'admin', false],
      ['rev@school.example', 'reviewer', false],
    ]);
    expect(listed.stdout).not.toContain('scrypt');

    expect(JSON.parse(runCli(['user', 'disable', '--email', 'rev@school.example', ...database.flags]).stdout)).toMatchObject({ disabled: true });
    expect(runCli(['user', 'disable', '--email', 'nobody@school.example', ...database.flags]).status).toBe(1);

    // The admin signs in to the served Desk with that password.
    const desk = await serveDesk(database.flags, await freePort());
    try {
      const signIn = (email: string) =>
        fetch(`${desk.url}/api/session`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ email, password: PASSWORD }),
        });
      expect((await signIn('head@school.example')).status).toBe(200);
      expect((await signIn('rev@school.example')).status).toBe(401);
    } finally {
      desk.child.kill('SIGTERM');
      await desk.exited;
    }
  });

  it('prints a one-time setup link when there is no admin yet', async () => {
    const port = await freePort();
    const desk = await serveDesk(database.flags, port);
    try {
      for (let i = 0; i < 100 && !desk.stdout().includes('#'); i++) await new Promise((done) => setTimeout(done, 50));
      const link = /http:\/\/127\.0\.0\.1:\d+\/setup#([\w-]+)/.exec(desk.stdout());
      expect(link, desk.stdout()).not.toBeNull();
      const post = () =>
        fetch(`${desk.url}/api/setup`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ token: link?.[1], email: 'head@school.example', password: PASSWORD }),
        });
      expect((await post()).status).toBe(200);
      expect((await post()).status).toBe(409);
    } finally {
      desk.child.kill('SIGTERM');
      await desk.exited;
    }
  });
});
