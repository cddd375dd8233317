/**
 * Authentication use cases: registration, credential checks, sessions and password resets. The HTTP layer
 * talks to {@link Auth} only; {@link Db} stays behind it.
 *
 * @module
 */
import type { AuthConfig } from "../config";
import { Db, type UserFilter } from "../db/db";
import { NoResultFound } from "../db/errors";
import type { User } from "../db/schema";
import { AppError } from "../errors";
import { hashPassword, verifyPassword } from "./password";

/** Returns the string form of a new random (version 4) UUID; private to this module. */
function generateUuid(): string {
	return crypto.randomUUID();
}

/** Registers users, checks credentials and manages their sessions and reset tokens. */
export class Auth {
	readonly #db: Db;
	readonly #config: AuthConfig;

	/** Builds the service over a data-access object and the validated configuration. */
	constructor(db: Db, config: AuthConfig) {
		this.#db = db;
		this.#config = config;
	}

	/** Builds the service for one request from the D1 binding, so callers never handle {@link Db}. */
	static fromD1(d1: D1Database, config: AuthConfig): Auth {
		return new Auth(new Db(d1), config);
	}

	/** Returns the user matching `filter`, or `null` when there is none. */
	async #findUser(filter: UserFilter): Promise<User | null> {
		try {
			return await this.#db.findUserBy(filter);
		} catch (error) {
			if (error instanceof NoResultFound) {
				return null;
			}
			throw error;
		}
	}

	/**
	 * Creates a user with a bcrypt hash of `password` and returns it.
	 *
	 * @throws {AppError} `EMAIL_ALREADY_REGISTERED`, with message `User <email> already exists`.
	 */
	async registerUser(email: string, password: string): Promise<User> {
		if ((await this.#findUser({ email })) !== null) {
			throw new AppError("EMAIL_ALREADY_REGISTERED", `User ${email} already exists`);
		}
		return this.#db.addUser(email, await hashPassword(password, this.#config.bcryptCost));
	}

	/** Tells whether a user with `email` exists and `password` is theirs. */
	async validLogin(email: string, password: string): Promise<boolean> {
		const user = await this.#findUser({ email });
		return user !== null && (await verifyPassword(password, user.hashedPassword));
	}

	/** Starts a new session for the user with `email` and returns its id, or `null` for an unknown email. */
	async createSession(email: string): Promise<string | null> {
		const user = await this.#findUser({ email });
		if (user === null) {
			return null;
		}
		const sessionId = generateUuid();
		await this.#db.updateUser(user.id, { sessionId });
		return sessionId;
	}

	/** Returns the user the session id belongs to, or `null` when there is no id or no such session. */
	async getUserFromSessionId(sessionId: string | null): Promise<User | null> {
		if (sessionId === null) {
			return null;
		}
		return this.#findUser({ sessionId });
	}

	/** Ends the session of the user with `userId`. */
	async destroySession(userId: number): Promise<void> {
		await this.#db.updateUser(userId, { sessionId: null });
	}

	/**
	 * Issues a password-reset token for the user with `email` and returns it.
	 *
	 * @throws {AppError} `UNKNOWN_EMAIL` when no user has that email.
	 */
	async getResetPasswordToken(email: string): Promise<string> {
		const user = await this.#findUser({ email });
		if (user === null) {
			throw new AppError("UNKNOWN_EMAIL", `User ${email} does not exist`);
		}
		const resetToken = generateUuid();
		await this.#db.updateUser(user.id, { resetToken });
		return resetToken;
	}

	/**
	 * Sets a new password for the holder of `resetToken` and clears the token.
	 *
	 * @throws {AppError} `INVALID_RESET_TOKEN` when no user holds that token.
	 */
	async updatePassword(resetToken: string, password: string): Promise<void> {
		const user = await this.#findUser({ resetToken });
		if (user === null) {
			throw new AppError("INVALID_RESET_TOKEN", "the reset token matches no user");
		}
		const hashedPassword = await hashPassword(password, this.#config.bcryptCost);
		await this.#db.updateUser(user.id, { hashedPassword, resetToken: null });
	}
}
