// drizzle-kit configuration for the Postgres dialect: `npm run db:generate:pg` writes SQL migrations
// for schema/pg.ts. The server applies them at start under an advisory lock (server/src/db/pg.ts).
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './schema/pg.ts',
  out: './schema/migrations/pg',
});
