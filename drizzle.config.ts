// drizzle-kit configuration: `npm run db:generate` writes SQL migrations for the schema.
// The server applies them at start (server/src/db/sqlite.ts).
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './schema/sqlite.ts',
  out: './schema/migrations/sqlite',
});
