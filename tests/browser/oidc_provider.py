"""A small, real OpenID Connect provider for the tests, built on Authlib's authorization server.

Authlib's own grant (authorization code with PKCE, the OpenID Connect extension that signs the
``id_token`` with a test RSA key) behind a plain ``http.server`` in a thread on a free port:

- ``/.well-known/openid-configuration`` and ``/jwks.json``: where everything is, and the public key;
- ``/authorize``: approves the test user at once (no login form) and redirects back with a code;
- ``/token``: the code (and PKCE verifier, client secret) for an access token and a signed ``id_token``;
- ``/logout``: the end-session endpoint, back to ``post_logout_redirect_uri``.

Nothing of the planner is mocked: Streamlit's ``st.login`` talks to it as to Google or Okta.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from authlib.common.security import generate_token
from authlib.oauth2.rfc6749 import AuthorizationServer, ClientMixin, OAuth2Error, OAuth2Request
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from joserfc.jwk import RSAKey


@dataclass(frozen=True)
class SignInUser:
    sub: str
    email: str
    name: str


@dataclass
class _Client(ClientMixin):
    client_id: str
    client_secret: str
    redirect_uris: list[str] = field(default_factory=list)

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return self.redirect_uris[0] if self.redirect_uris else None

    def get_allowed_scope(self, scope):
        return " ".join(s for s in (scope or "").split() if s in ("openid", "email", "profile"))

    def check_redirect_uri(self, redirect_uri):
        return not self.redirect_uris or redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret):
        return client_secret == self.client_secret

    def check_endpoint_auth_method(self, method, endpoint):
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


@dataclass
class _Code:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: SignInUser
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time

    def get_acr(self):
        return None

    def get_amr(self):
        return None


class _Request(OAuth2Request):
    def __init__(self, method: str, uri: str, headers, args: dict, form: dict):
        super().__init__(method, uri, headers=headers)
        self._args, self._form = args, form
        self.payload = BasicOAuth2Payload({**args, **form})

    @property
    def args(self):
        return self._args

    @property
    def form(self):
        return self._form


class Provider:
    """The provider; ``start()`` serves it on 127.0.0.1 and a free port, ``stop()`` ends it.

    Parameters
    ----------
    user : SignInUser
        Who every sign-in approves.
    client_id, client_secret : str
        The one client (the planner) it knows.
    """

    def __init__(self, user: SignInUser, client_id: str = "planner", client_secret: str = "planner-secret"):
        self.user = user
        self.client = _Client(client_id, client_secret)
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig", "alg": "RS256"},
                                       private=True)
        self.codes: dict[str, _Code] = {}
        self.nonces: set[str] = set()
        self.signed_in = 0  # tokens issued
        self.httpd: ThreadingHTTPServer | None = None
        self.issuer = ""

    # -------------------------------------------------------------- Authlib's server, grant and extension

    def _server(self) -> AuthorizationServer:
        provider = self

        class Server(AuthorizationServer):
            def query_client(self, client_id):
                return provider.client if client_id == provider.client.client_id else None

            def save_token(self, token, request):
                provider.signed_in += 1

            def create_oauth2_request(self, request):
                return request

            def create_json_request(self, request):
                return request

            def handle_response(self, status, body, headers):
                return status, body, headers

            def send_signal(self, name, *args, **kwargs):
                return None

        class CodeGrant(AuthorizationCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

            def save_authorization_code(self, code, request):
                data = request.payload.data
                provider.nonces.add(data.get("nonce"))
                provider.codes[code] = _Code(code, request.client.client_id, data.get("redirect_uri"),
                                             request.scope, request.user, data.get("nonce"),
                                             data.get("code_challenge"), data.get("code_challenge_method"))

            def query_authorization_code(self, code, client):
                found = provider.codes.get(code)
                return found if found is not None and found.client_id == client.client_id else None

            def delete_authorization_code(self, authorization_code):
                provider.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code):
                return authorization_code.user

        class OpenID(OpenIDCode):
            def resolve_client_private_key(self, client):
                return provider.key

            def get_client_algorithm(self, client):
                return "RS256"

            def get_encode_header(self, client):
                return {"alg": "RS256", "kid": provider.key.kid}

            def get_client_claims(self, client):
                return {"iss": provider.issuer, "aud": [client.get_client_id()]}

            def exists_nonce(self, nonce, request):  # a nonce used by an earlier code is a replay
                return nonce in provider.nonces

            def generate_user_info(self, user, scope):
                return UserInfo(sub=user.sub, name=user.name, email=user.email, email_verified=True)

        server = Server(scopes_supported=["openid", "email", "profile"])
        server.register_token_generator("default", BearerTokenGenerator(lambda *a, **k: generate_token(42)))
        server.register_grant(CodeGrant, [CodeChallenge(required=False), OpenID(require_nonce=True)])
        return server

    def metadata(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks.json",
            "end_session_endpoint": f"{self.issuer}/logout",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "name", "email", "email_verified"],
        }

    # -------------------------------------------------------------- HTTP

    def start(self) -> Provider:
        server = self._server()
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet: the test's output is for the test
                return None

            def _send(self, status: int, body, headers=()) -> None:
                data = body if isinstance(body, bytes) else json.dumps(body).encode() if body else b""
                self.send_response(status)
                for k, v in headers:
                    self.send_header(k, v)
                if body and not any(k.lower() == "content-type" for k, _ in headers):
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _request(self, form: dict) -> _Request:
                url = f"{provider.issuer}{self.path}"
                return _Request(self.command, url, self.headers, dict(parse_qsl(urlsplit(url).query)), form)

            def do_GET(self):  # noqa: N802 (http.server's name)
                path = urlsplit(self.path).path
                if path == "/.well-known/openid-configuration":
                    self._send(200, provider.metadata())
                elif path == "/jwks.json":
                    self._send(200, {"keys": [provider.key.as_dict(private=False)]})
                elif path == "/authorize":  # the test user approves at once
                    request = self._request({})
                    try:
                        grant = server.get_consent_grant(request=request, end_user=provider.user)
                    except OAuth2Error as exc:
                        self._send(exc.status_code, dict(exc.get_body()))
                        return
                    self._send(*server.create_authorization_response(request, grant_user=provider.user, grant=grant))
                elif path == "/logout":
                    back = dict(parse_qsl(urlsplit(self.path).query)).get("post_logout_redirect_uri", "/")
                    self._send(302, b"", [("Location", back)])
                else:
                    self._send(404, {"error": "not_found"})

            def do_POST(self):  # noqa: N802
                if urlsplit(self.path).path != "/token":
                    self._send(404, {"error": "not_found"})
                    return
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(parse_qsl(self.rfile.read(length).decode()))
                self._send(*server.create_token_response(self._request(form)))

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.issuer = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, name="oidc-provider", daemon=True).start()
        return self

    def stop(self) -> None:
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
