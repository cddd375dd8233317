/**
 * The pieces the pages' forms are made of: a labelled field that shows its own error, an error summary
 * that takes the focus when the page loads (with `autofocus`, so without a script), notices, and the
 * mapping from the service's error messages to the field they are about.
 *
 * @module
 */
import type { Child } from "hono/jsx";

/** A problem with a form: its message, the field it is about (if one), and links that help. */
export interface Problem {
	readonly message: string;
	readonly field?: string;
	/** Where to go instead (a taken address: log in, or reset the password). */
	readonly links?: readonly { readonly href: string; readonly text: string }[];
}

/** What is wrong with a form: one problem, or several found at once (every field of a sign-up). */
export type FormError = Problem | readonly Problem[];

/** The problems of a form's error, as a list. */
export function problemsOf(error: FormError | null | undefined): readonly Problem[] {
	return error == null ? [] : Array.isArray(error) ? error : [error as Problem];
}

/** What a field shows to whoever fills it in, by the id of its input. */
const LABELS: Record<string, string> = {
	email: "Email address",
	password: "Password",
	new_password: "New password",
	current_password: "Current password",
	new_email: "New email address",
	"email-password": "Password",
	"delete-password": "Password",
};

/** Returns the label of a field, by the id of its input. */
export function labelOf(id: string): string {
	return LABELS[id] ?? id;
}

/**
 * Returns the error a service message stands for. Messages about a field start with its name
 * (`email is invalid`, `password is too common`); `fields` maps each such name to the id of the input of
 * this form it is about (the policy's `password …` is about a form's `new_password`, say), and the
 * message is shown with that input's label instead of the name.
 */
export function formError(message: string, fields: Readonly<Record<string, string>>): Problem {
	const name = Object.keys(fields)
		.sort((a, b) => b.length - a.length)
		.find((candidate) => message.startsWith(`${candidate} `));
	const field = name === undefined ? undefined : fields[name];
	if (name === undefined || field === undefined) {
		return { message: capitalize(message) };
	}
	return { field, message: `${labelOf(field)} ${message.slice(name.length + 1)}` };
}

/** The fields of a form whose inputs have the names the service's messages use. */
export function sameNames(...names: string[]): Record<string, string> {
	return Object.fromEntries(names.map((name) => [name, name]));
}

/** Returns `text` with its first letter in upper case. */
export function capitalize(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A summary of what went wrong, linking to the fields; it takes the focus when the page loads. */
export function ErrorSummary({ error }: { error: FormError | null }) {
	const problems = problemsOf(error);
	if (problems.length === 0) {
		return null;
	}
	return (
		<div class="error-summary" role="alert" tabindex={-1} autofocus aria-labelledby="error-summary-title">
			<h2 id="error-summary-title">{problems.length === 1 ? "There is a problem" : "There are problems"}</h2>
			<ul>
				{problems.map((problem) => (
					<li>
						{problem.field === undefined ? (
							problem.message
						) : (
							<a href={`#${problem.field}`}>{problem.message}</a>
						)}
						{problem.links?.map((link, i) => (
							<>
								{i === 0 ? " " : " or "}
								<a href={link.href}>{link.text}</a>
							</>
						))}
						{problem.links ? "." : null}
					</li>
				))}
			</ul>
		</div>
	);
}

/** What a field needs. */
export interface FieldProps {
	readonly name: string;
	/** The element's id, when two forms of a page have a field of the same name; the name otherwise. */
	readonly id?: string;
	readonly type: "email" | "password" | "text";
	readonly autocomplete: string;
	readonly value?: string;
	readonly error?: FormError | null;
	readonly hint?: string;
	readonly autofocus?: boolean;
}

/** A labelled input, with its hint and its error; a password field never shows a value. */
export function Field({ name, id = name, type, autocomplete, value, error, hint, autofocus }: FieldProps) {
	const message = problemsOf(error).find((problem) => problem.field === id)?.message ?? null;
	const described = [hint ? `${id}-hint` : null, message ? `${id}-error` : null].filter(Boolean).join(" ");
	return (
		<div class={message ? "field invalid" : "field"}>
			<label for={id}>{labelOf(id)}</label>
			{hint ? (
				<p class="hint" id={`${id}-hint`}>
					{hint}
				</p>
			) : null}
			{message ? (
				<p class="field-error" id={`${id}-error`}>
					{message}
				</p>
			) : null}
			<input
				id={id}
				name={name}
				type={type}
				autocomplete={autocomplete}
				required
				value={type === "password" ? undefined : value}
				aria-invalid={message ? "true" : undefined}
				aria-describedby={described || undefined}
				autofocus={autofocus && problemsOf(error).length === 0}
			/>
		</div>
	);
}

/** A short message about what just happened. */
export function Notice({ children }: { children: Child }) {
	return (
		<div class="notice" role="status">
			{children}
		</div>
	);
}

/**
 * The password rule, stated up front on every form that sets one: what the policy checks (see
 * `passwordPolicyViolation`), with the configured minimum.
 */
export function passwordRule(minLength: number): string {
	const length = minLength > 1 ? `${minLength} to 128 characters` : "Up to 128 characters";
	return `${length}; not one of the most common passwords, nor your email address. A long passphrase is good.`;
}

/**
 * A link the service would have emailed, shown on the page instead: `response` mode, local development,
 * where tokens are handed back. Marked as such.
 */
export function DevelopmentLink({ link }: { link: string }) {
	return (
		<div class="dev-note" role="note">
			<p>
				<strong>Local development:</strong> this service runs with <code>TOKEN_DELIVERY = "response"</code>,
				so the link a user would get by email is shown here instead. In production it goes to the address.
			</p>
			<p>
				<a href={link}>{link}</a>
			</p>
		</div>
	);
}
