#!/usr/bin/env python3
"""Seeds a libpurple config dir (finch -c DIR / pidgin -c DIR) with a ready RingCentral account
pointed at the simulator, the scenario's contacts as buddies, and the plugin in DIR/plugins.

Used by ./run-demo and the end-to-end tests. Settings carry type='...' attributes: an untyped
<setting> loads empty in libpurple 2.x.

Example:
  scripts/seed-purple-config.py --dir "$cfg" --plugin build/plugin/libringcentral.so \\
      --server-url http://127.0.0.1:8080 --scenario tests/scenarios/demo.json --ui gnt-purple
"""
import argparse
import json
import os
import shutil
import sys
from xml.sax.saxutils import escape, quoteattr

PRPL_ID = "prpl-ringcentral"
GROUP = "RingCentral"


def setting(name, kind, value):
    return f"   <setting name={quoteattr(name)} type='{kind}'>{escape(str(value))}</setting>\n"


def accounts_xml(args, creds):
    s = ["<?xml version='1.0' encoding='UTF-8' ?>\n", "<account version='1.0'>\n", " <account>\n",
         f"  <protocol>{PRPL_ID}</protocol>\n",
         f"  <name>{escape(args.username)}</name>\n",
         # libpurple keeps the password (here: the JWT credential) in accounts.xml in clear text,
         # like every libpurple secret.
         f"  <password>{escape(creds['jwt'])}</password>\n",
         "  <settings>\n",
         setting("server_url", "string", args.server_url),
         setting("client_id", "string", creds["client_id"]),
         setting("client_secret", "string", creds["client_secret"]),
         setting("auth_method", "string", "jwt")]
    if args.sync_interval:
        s.append(setting("sync_interval", "int", args.sync_interval))
    if args.default_from:
        s.append(setting("default_from", "string", args.default_from))
    s += ["  </settings>\n",
          f"  <settings ui={quoteattr(args.ui)}>\n",
          setting("auto-login", "bool", 1),
          "  </settings>\n", " </account>\n", "</account>\n"]
    return "".join(s)


def blist_xml(args, contacts):
    acct = quoteattr(args.username)
    s = ["<?xml version='1.0' encoding='UTF-8' ?>\n", "<purple version='1.0'>\n", " <blist>\n",
         f"  <group name={quoteattr(GROUP)}>\n",
         "   <setting name='collapsed' type='bool'>0</setting>\n"]
    for c in contacts:
        s += ["   <contact>\n",
              f"    <buddy account={acct} proto='{PRPL_ID}'>\n",
              f"     <name>{escape(c['phone_number'])}</name>\n"]
        if c.get("name"):
            s.append(f"     <alias>{escape(c['name'])}</alias>\n")
        s += ["    </buddy>\n", "   </contact>\n"]
    s += ["  </group>\n", " </blist>\n", " <privacy>\n",
          f"  <account proto='{PRPL_ID}' name={acct} mode='1'/>\n",
          " </privacy>\n", "</purple>\n"]
    return "".join(s)


def prefs_xml(ui):
    # Texting contacts have no presence, so they are "offline": show them anyway.
    if ui == "gnt-purple":
        inner = ("  <pref name='blist'>\n"
                 "   <pref name='showoffline' type='bool' value='1'/>\n"
                 "  </pref>\n")
        top = "finch"
    else:
        inner = ("  <pref name='blist'>\n"
                 "   <pref name='show_offline_buddies' type='bool' value='1'/>\n"
                 "   <pref name='show_empty_groups' type='bool' value='0'/>\n"
                 "  </pref>\n")
        top = "pidgin"
    return ("<?xml version='1.0' encoding='UTF-8' ?>\n<pref version='1' name='/'>\n"
            f" <pref name='{top}'>\n{inner} </pref>\n</pref>\n")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dir", required=True, help="config dir to fill (created if missing)")
    p.add_argument("--plugin", required=True, help="path of the built libringcentral.so")
    p.add_argument("--server-url", required=True, help="simulator base URL, http://127.0.0.1:PORT")
    p.add_argument("--scenario", required=True, help="scenario JSON (credentials and contacts)")
    p.add_argument("--ui", default="gnt-purple", help="UI id: gnt-purple (Finch) or gtk-gaim (Pidgin)")
    p.add_argument("--username", default="demo@example.com", help="account name (a label)")
    p.add_argument("--sync-interval", type=int, default=0, help="seconds between sync polls")
    p.add_argument("--default-from", default="", help="default send-from number (E.164)")
    p.add_argument("--contact", action="append", default=[],
                   help="only this contact (name or number; repeatable); default: all of them")
    p.add_argument("--symlink", action="store_true", help="symlink the plugin instead of copying")
    args = p.parse_args()

    with open(args.scenario, encoding="utf-8") as f:
        scenario = json.load(f)
    creds = {"client_id": "demo-client-id", "client_secret": "demo-client-secret", "jwt": "demo-jwt"}
    creds.update(scenario.get("credentials") or {})
    contacts = [c for c in scenario.get("contacts") or [] if c.get("phone_number")]
    if args.contact:
        contacts = [c for c in contacts if c.get("name") in args.contact or c["phone_number"] in args.contact]

    os.makedirs(os.path.join(args.dir, "plugins"), exist_ok=True)
    target = os.path.join(args.dir, "plugins", "libringcentral.so")
    if os.path.lexists(target):
        os.unlink(target)
    if args.symlink:
        os.symlink(os.path.abspath(args.plugin), target)
    else:
        shutil.copyfile(args.plugin, target)

    files = {"accounts.xml": accounts_xml(args, creds), "blist.xml": blist_xml(args, contacts),
             "prefs.xml": prefs_xml(args.ui)}
    for name, text in files.items():
        path = os.path.join(args.dir, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(path, 0o600)  # accounts.xml holds the secrets
    return 0


if __name__ == "__main__":
    sys.exit(main())
