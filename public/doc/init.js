// Starts Swagger UI on the service's own OpenAPI document. A file of its own, since the page's CSP
// allows no inline script.
window.addEventListener("load", () => {
	window.ui = SwaggerUIBundle({
		url: "/openapi.json",
		dom_id: "#swagger-ui",
		deepLinking: false,
		validatorUrl: null,
	});
});
