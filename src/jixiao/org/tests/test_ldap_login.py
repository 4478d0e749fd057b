"""Directory login against a real OpenLDAP server: Debian's slapd, started by the test on a free
port with a throw-away configuration and database, as the current user. A directory person logs in
to his existing account (any case of the username); a wrong password, an unknown account (no
auto-creation) and a disabled account are refused. Under CI a missing slapd is a failure."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

SLAPD, LDAPADD = "/usr/sbin/slapd", shutil.which("ldapadd") or "/usr/bin/ldapadd"
SUFFIX, ROOT, ROOTPW = "dc=jixiao,dc=test", "cn=admin,dc=jixiao,dc=test", "root-Secret-2026"
DN_TEMPLATE = "uid=%(user)s,ou=people,dc=jixiao,dc=test"
LDAP_PASSWORD = "Directory-Pass-2026"
CONFIG = """include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
pidfile {dir}/slapd.pid
argsfile {dir}/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
maxsize 10485760
suffix "{suffix}"
rootdn "{root}"
rootpw {rootpw}
directory {dir}/db
access to attrs=userPassword by anonymous auth by self write by * none
access to * by * read
"""
DATA = """dn: {suffix}
objectClass: dcObject
objectClass: organization
o: jixiao
dc: jixiao

dn: ou=people,{suffix}
objectClass: organizationalUnit
ou: people

dn: uid=lisi,ou=people,{suffix}
objectClass: inetOrgPerson
uid: lisi
cn: 李四
sn: 李
userPassword: {password}

dn: uid=zhaoliu,ou=people,{suffix}
objectClass: inetOrgPerson
uid: zhaoliu
cn: 赵六
sn: 赵
userPassword: {password}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def slapd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not (Path(SLAPD).exists() and Path(LDAPADD).exists()):
        message = "slapd or ldapadd is missing: `make ldap` installs slapd and ldap-utils"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    if not os.environ.get("CI"):
        pytest.importorskip("django_auth_ldap")
    d = tmp_path_factory.mktemp("slapd")
    (d / "db").mkdir()
    (d / "slapd.conf").write_text(CONFIG.format(dir=d, suffix=SUFFIX, root=ROOT, rootpw=ROOTPW), encoding="utf-8")
    port = _free_port()
    uri = f"ldap://127.0.0.1:{port}"
    proc = subprocess.Popen([SLAPD, "-f", str(d / "slapd.conf"), "-h", uri + "/", "-d", "0"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        data = DATA.format(suffix=SUFFIX, password=LDAP_PASSWORD).encode()
        for _ in range(100):
            loaded = subprocess.run([LDAPADD, "-x", "-H", uri, "-D", ROOT, "-w", ROOTPW], input=data,
                                    capture_output=True)
            if loaded.returncode == 0:
                break
            if proc.poll() is not None:
                pytest.fail(f"slapd did not start: {proc.stderr.read().decode() if proc.stderr else ''}")
            time.sleep(0.1)
        else:
            pytest.fail(f"could not load the directory: {loaded.stderr.decode()}")
        yield uri
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def ldap_settings(slapd: str, settings: Any) -> Any:
    settings.AUTHENTICATION_BACKENDS = [settings.AUTHENTICATION_BACKENDS[0], "jixiao.org.ldap.LdapBackend",
                                        *settings.AUTHENTICATION_BACKENDS[1:]]
    settings.AUTH_LDAP_SERVER_URI = slapd
    settings.AUTH_LDAP_USER_DN_TEMPLATE = DN_TEMPLATE
    settings.AUTH_LDAP_NO_NEW_USERS = True
    settings.AUTH_LDAP_ALWAYS_UPDATE_USER = False
    settings.AUTH_LDAP_USER_ATTR_MAP = {"first_name": "cn"}
    return settings


@pytest.mark.django_db
def test_a_directory_person_logs_in_to_his_existing_account(ldap_settings: Any) -> None:
    from jixiao.audit.models import AuditEntry
    from jixiao.org import services as org

    lisi = org.account_create(actor=None, username="LiSi", password="Local-Only-2026", must_change_password=True)
    c = Client()
    r = c.post("/login/", {"username": "lisi", "password": LDAP_PASSWORD})
    assert r.status_code == 302 and r["Location"] == "/"
    assert c.get("/org/").status_code == 200  # no local password change asked: the directory keeps it
    assert int(c.session["_auth_user_id"]) == lisi.pk
    assert AuditEntry.objects.filter(action="login", actor_id=lisi.pk).exists()
    # A wrong directory password, an account the directory has but the application not.
    assert Client().post("/login/", {"username": "lisi", "password": "Wrong-Pass-2026"}).status_code == 200
    assert Client().post("/login/", {"username": "zhaoliu", "password": LDAP_PASSWORD}).status_code == 200
    assert not User.objects.filter(username__iexact="zhaoliu").exists()
    # A disabled account stays shut whatever the directory says.
    org.account_disable(actor=None, user=lisi)
    assert Client().post("/login/", {"username": "lisi", "password": LDAP_PASSWORD}).status_code == 200


@pytest.mark.django_db
def test_accounts_are_created_only_when_configured(ldap_settings: Any) -> None:
    from jixiao.audit.models import AuditEntry

    ldap_settings.AUTH_LDAP_NO_NEW_USERS = False
    assert Client().post("/login/", {"username": "zhaoliu", "password": LDAP_PASSWORD}).status_code == 302
    user = User.objects.get(username="zhaoliu")
    assert user.first_name == "赵六" and not user.has_usable_password() and not user.grants.exists()
    assert AuditEntry.objects.filter(action="create", target="auth.user", target_id=str(user.pk)).exists()
