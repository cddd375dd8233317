/**
 * The frame of every page: a small, self-contained HTML document (one stylesheet served by the Worker, no
 * script, nothing from another host), a header with the service's name whose links depend on whether
 * someone is logged in, and the page's content in `<main>`.
 *
 * @module
 */
import { type Child, createContext, useContext } from "hono/jsx";

/** Where the pages' one stylesheet is served from (a static asset, see `public/assets`). */
const STYLESHEET = "/assets/style.css";

/** The pages' icon, so browsers do not ask for a missing `/favicon.ico`. */
const ICON = "/assets/icon.svg";

/** What every page knows of the site it belongs to, given once per answer by `renderPage`. */
export interface Site {
	/** The service's name (`SERVICE_NAME`): in the header and every title. */
	readonly serviceName: string;
	/** The moment the page is rendered at, which relative times ("3 hours ago") count from. */
	readonly now: Date;
}

/** The site of the page being rendered. */
export const SiteContext = createContext<Site>({ serviceName: "Workers Auth", now: new Date(0) });

/** Returns the site of the page being rendered. */
export function useSite(): Site {
	return useContext(SiteContext);
}

/** What the frame of a page needs. */
export interface PageProps {
	/** The page's title, shown in the tab and as its heading's fallback. */
	readonly title: string;
	/** Whether someone is logged in, for the header's links. */
	readonly loggedIn: boolean;
	readonly children: Child;
}

/** Renders a whole page. */
export function Page({ title, loggedIn, children }: PageProps) {
	const { serviceName } = useSite();
	return (
		<html lang="en">
			<head>
				<meta charset="utf-8" />
				<meta name="viewport" content="width=device-width, initial-scale=1" />
				<title>{`${title} · ${serviceName}`}</title>
				<link rel="stylesheet" href={STYLESHEET} />
				<link rel="icon" href={ICON} type="image/svg+xml" />
			</head>
			<body>
				<header class="site">
					<a class="brand" href={loggedIn ? "/account" : "/login"}>
						{serviceName}
					</a>
					<nav aria-label="Main">
						{loggedIn ? (
							<form method="post" action="/logout" class="inline">
								<button type="submit" class="link">
									Log out
								</button>
							</form>
						) : (
							<>
								<a href="/login">Log in</a> <a href="/signup">Sign up</a>
							</>
						)}
					</nav>
				</header>
				<main>{children}</main>
			</body>
		</html>
	);
}

/** The page of a request the pages could not serve: what went wrong, and a way back. */
export function ErrorPage({ message, loggedIn }: { message: string; loggedIn: boolean }) {
	return (
		<Page title="Something went wrong" loggedIn={loggedIn}>
			<h1>Something went wrong</h1>
			<div class="error-summary" role="alert">
				<p>{message}</p>
			</div>
			<p>
				<a href={loggedIn ? "/account" : "/login"}>{loggedIn ? "Back to your account" : "Back to log in"}</a>
			</p>
		</Page>
	);
}
