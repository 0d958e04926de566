import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Organisation, tickets (read model + PII), append-only audit events, texts, SMS outbox. */
export class InitialSchema1764320000000 implements MigrationInterface {
  name = 'InitialSchema1764320000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE institutions (
        id text PRIMARY KEY,
        name text NOT NULL,
        name_en text NOT NULL
      );
      CREATE TABLE departments (
        id text PRIMARY KEY,
        institution_id text NOT NULL REFERENCES institutions(id),
        name text NOT NULL,
        name_en text NOT NULL,
        assignment_mode text NOT NULL DEFAULT 'MANUAL' CHECK (assignment_mode IN ('MANUAL','LEAST_LOADED'))
      );
      CREATE TABLE branches (
        id text PRIMARY KEY,
        department_id text NOT NULL REFERENCES departments(id),
        name text NOT NULL
      );
      CREATE TABLE staff (
        id text PRIMARY KEY,
        name text NOT NULL,
        phone text,
        roles text[] NOT NULL,
        department_id text REFERENCES departments(id),
        branch_id text REFERENCES branches(id),
        approval_level int CHECK (approval_level > 0),
        active boolean NOT NULL DEFAULT true
      );
      CREATE INDEX staff_department_idx ON staff (department_id) WHERE active;
      CREATE TABLE categories (
        code text PRIMARY KEY,
        name text NOT NULL,
        name_en text NOT NULL,
        institution_id text NOT NULL REFERENCES institutions(id),
        default_department_id text REFERENCES departments(id),
        sla_seconds int NOT NULL CHECK (sla_seconds > 0),
        active boolean NOT NULL DEFAULT true
      );
      CREATE TABLE referral_institutions (
        id text PRIMARY KEY,
        name text NOT NULL,
        name_en text NOT NULL,
        contact text NOT NULL,
        description text
      );

      CREATE SEQUENCE ticket_number_seq;
      CREATE TABLE tickets (
        id uuid PRIMARY KEY,
        number text NOT NULL UNIQUE,
        tracking_token text NOT NULL,
        channel text NOT NULL,
        type text NOT NULL,
        category text NOT NULL REFERENCES categories(code),
        segment text NOT NULL,
        language text NOT NULL DEFAULT 'tr',
        requester_name text NOT NULL,
        requester_phone text NOT NULL,
        description text NOT NULL,
        district text,
        neighbourhood text,
        address text,
        lat numeric(9,6),
        lng numeric(9,6),
        status text NOT NULL DEFAULT 'RECEIVED',
        outcome text,
        department_id text,
        assignee_id text,
        approval_level int,
        sla_breached boolean NOT NULL DEFAULT false,
        reopen_count int NOT NULL DEFAULT 0,
        last_event_seq int NOT NULL DEFAULT 0,
        workflow_view jsonb,
        received_at timestamptz NOT NULL,
        workflow_started_at timestamptz,
        resolved_at timestamptz,
        closed_at timestamptz,
        updated_at timestamptz NOT NULL
      );
      CREATE INDEX tickets_status_idx ON tickets (status, id);
      CREATE INDEX tickets_department_status_idx ON tickets (department_id, status);
      CREATE INDEX tickets_assignee_idx ON tickets (assignee_id, status);
      CREATE INDEX tickets_unstarted_idx ON tickets (received_at) WHERE workflow_started_at IS NULL;

      CREATE TABLE ticket_events (
        id bigserial PRIMARY KEY,
        ticket_id uuid NOT NULL REFERENCES tickets(id),
        seq int NOT NULL,
        type text NOT NULL,
        at timestamptz NOT NULL,
        actor_kind text NOT NULL,
        actor_id text,
        status text NOT NULL,
        data jsonb NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ticket_events_ticket_seq_key UNIQUE (ticket_id, seq)
      );
      -- The audit trail is append-only: corrections are new events, never edits.
      CREATE FUNCTION ticket_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'ticket_events is append-only (% refused)', TG_OP;
      END $$;
      CREATE TRIGGER ticket_events_no_update_delete
        BEFORE UPDATE OR DELETE ON ticket_events
        FOR EACH ROW EXECUTE FUNCTION ticket_events_append_only();

      CREATE TABLE ticket_texts (
        id uuid PRIMARY KEY,
        ticket_id uuid NOT NULL REFERENCES tickets(id),
        kind text NOT NULL,
        body text NOT NULL,
        author_kind text NOT NULL,
        author_id text,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX ticket_texts_ticket_idx ON ticket_texts (ticket_id);

      CREATE TABLE sms_outbox (
        id bigserial PRIMARY KEY,
        notification_key text NOT NULL UNIQUE,
        ticket_id uuid REFERENCES tickets(id),
        purpose text NOT NULL,
        channel text NOT NULL,
        recipient_phone text,
        body text NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING','SENDING','SENT','FAILED','UNCERTAIN','SKIPPED')),
        attempts int NOT NULL DEFAULT 0,
        provider_message_id text,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      );
      CREATE INDEX sms_outbox_ticket_idx ON sms_outbox (ticket_id);
      CREATE INDEX sms_outbox_open_idx ON sms_outbox (status) WHERE status IN ('PENDING','SENDING','UNCERTAIN');
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE sms_outbox; DROP TABLE ticket_texts;
      DROP TRIGGER ticket_events_no_update_delete ON ticket_events; DROP FUNCTION ticket_events_append_only();
      DROP TABLE ticket_events; DROP TABLE tickets; DROP SEQUENCE ticket_number_seq;
      DROP TABLE referral_institutions; DROP TABLE categories; DROP TABLE staff; DROP TABLE branches;
      DROP TABLE departments; DROP TABLE institutions;
    `);
  }
}
