-- Better Auth 1.7 core schema (user, session, account, verification) for SQLite / Cloudflare D1, for the
-- benchmark's peer worker only (bench/peers/better-auth/worker.ts); nothing in src/ uses it.
-- Generated, not hand-written: the statements below are the output of Better Auth's own CLI (npm package
-- `auth` 1.7.7, `auth generate --config auth.ts`) run on a config with the worker's options (email and
-- password, no plugins) whose database was an empty Miniflare D1: the CLI diffs the schema it needs against
-- that database and prints what is missing. Checked against better-auth 1.7.25, the version the worker
-- runs: its `getMigrations` on an empty D1 gives these same 7 statements, and after this file is applied it
-- wants no change. See README.md beside this folder.
create table "user" ("id" text not null primary key, "name" text not null, "email" text not null unique, "emailVerified" integer not null, "image" text, "createdAt" date not null, "updatedAt" date not null);

create table "session" ("id" text not null primary key, "expiresAt" date not null, "token" text not null unique, "createdAt" date not null, "updatedAt" date not null, "ipAddress" text, "userAgent" text, "userId" text not null references "user" ("id") on delete cascade);

create table "account" ("id" text not null primary key, "accountId" text not null, "providerId" text not null, "userId" text not null references "user" ("id") on delete cascade, "accessToken" text, "refreshToken" text, "idToken" text, "accessTokenExpiresAt" date, "refreshTokenExpiresAt" date, "scope" text, "password" text, "createdAt" date not null, "updatedAt" date not null);

create table "verification" ("id" text not null primary key, "identifier" text not null, "value" text not null, "expiresAt" date not null, "createdAt" date not null, "updatedAt" date not null);

create index "session_userId_idx" on "session" ("userId");

create index "account_userId_idx" on "account" ("userId");

create index "verification_identifier_idx" on "verification" ("identifier");
