using System;
using System.Collections.Generic;
using System.Linq;
using LeadTools.Core.Conversion;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Sync
{
    /// <summary>Which way a value flows between the local (marketing) system and Salesforce.</summary>
    public enum SyncDirection
    {
        /// <summary>Local overwrites Salesforce.</summary>
        Push,
        /// <summary>Salesforce overwrites local.</summary>
        Pull,
        /// <summary>The more recently modified side wins; on a tie Salesforce wins (see <see cref="SyncProfile"/>).</summary>
        TwoWay,
    }

    /// <summary>The direction and field map of one synced object (Accounts, Campaigns, Leads, ...).</summary>
    public sealed class SyncObjectProfile
    {
        internal SyncObjectProfile(string name, SyncDirection direction)
        {
            Name = name;
            Direction = direction;
        }

        /// <summary>The profile key (Accounts, Campaigns, Opportunities, Leads, Contacts, CustomFields, LeadScore, Events).</summary>
        public string Name { get; }

        /// <summary>The object's direction.</summary>
        public SyncDirection Direction { get; internal set; }

        /// <summary>
        /// Leads and Contacts: push local records without a CRM id to Salesforce as inserts (Rule L8's last bullet).
        /// Default: true for Leads (seed 003: "If Last Name, Company, and Email are set, push it"), false for Contacts
        /// (seed 003: "If the lead is a contact, do not push it"). Profile key <c>pushNew</c>.
        /// </summary>
        public bool PushNew { get; internal set; }

        /// <summary>
        /// Leads and Contacts: an extension beyond seed 003, off by default. A linked record (it has a CRM id) edited
        /// locally has its fields resolved against its Salesforce record per direction, so local edits reach Salesforce
        /// without waiting for a Salesforce edit. The seed says "If the lead already has a CRM ID, do not push it".
        /// Profile key <c>pushLinkedEdits</c>.
        /// </summary>
        public bool PushLinkedEdits { get; internal set; }

        /// <summary>
        /// Leads: push a new local lead without a company when Last Name and Email are set, for conversion into a person
        /// account in Salesforce (seed 002: "Lead-Synchronisierung ohne Firmenname für Personenkontenkonversion
        /// zulassen"). Default false: seed 003 pushes a lead only "If Last Name, Company, and Email are set". Salesforce
        /// takes a lead without a company only in an org with person accounts enabled. Profile key <c>pushWithoutCompany</c>.
        /// </summary>
        public bool PushWithoutCompany { get; internal set; }

        /// <summary>
        /// Accounts: pull every Salesforce account as a local account (an extension). Default false: seed 003 pulls
        /// account data "only to be associated with a linked contact or lead". Profile key <c>pullAll</c>.
        /// </summary>
        public bool PullAll { get; internal set; }

        /// <summary>Per-field direction overrides, by local field name.</summary>
        public IDictionary<string, SyncDirection> Fields { get; } = new Dictionary<string, SyncDirection>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Local field name to Salesforce field name, where they differ.</summary>
        public IDictionary<string, string> Map { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>The Salesforce name of a local field.</summary>
        public string SalesforceName(string localField) => Map.TryGetValue(localField, out var s) ? s : localField;

        /// <summary>The local name of a Salesforce field.</summary>
        public string LocalName(string salesforceField)
        {
            foreach (var p in Map)
            {
                if (string.Equals(p.Value, salesforceField, StringComparison.OrdinalIgnoreCase)) return p.Key;
            }
            return salesforceField;
        }
    }

    /// <summary>
    /// The sync direction profile (SPEC 7). The built-in default is the SPEC 7 table: Accounts pull, Campaigns two-way,
    /// Opportunities pull, Leads two-way, Contacts two-way, custom fields two-way, lead score push, events push.
    /// A JSON file overrides it:
    /// <code>{ "schemaVersion": 1, "localModifiedField": "ModifiedDate", "crmIdField": "CrmId",
    ///   "objects": { "Leads": { "direction": "two-way", "fields": { "Rating": "pull" }, "map": { "Score": "Lead_Score__c" } } } }</code>
    /// Directions: <c>push</c>, <c>pull</c>, <c>two-way</c>.
    /// <para>Two-way: the side whose record was modified more recently (Salesforce <c>LastModifiedDate</c>, local
    /// <see cref="LocalModifiedField"/>) wins. Ties, and records without a usable time on both sides, go to Salesforce:
    /// Salesforce stamps its times on the server, it is where all sales activity happens once the integration is connected
    /// (seed 003), and the rule must not depend on input order, so a run is repeatable.</para>
    /// </summary>
    public sealed class SyncProfile
    {
        /// <summary>The schema version this LeadTools reads.</summary>
        public const int SchemaVersion = 1;

        /// <summary>The object keys of a profile.</summary>
        public static readonly IReadOnlyList<string> ObjectNames = new[] { "Accounts", "Campaigns", "Opportunities", "Leads", "Contacts", "CustomFields", "LeadScore", "Events" };

        private readonly Dictionary<string, SyncObjectProfile> _objects = new Dictionary<string, SyncObjectProfile>(StringComparer.OrdinalIgnoreCase);

        private SyncProfile()
        {
            foreach (var name in ObjectNames) _objects[name] = new SyncObjectProfile(name, DefaultDirection(name)) { PushNew = name == "Leads" };
        }

        /// <summary>The local field holding the local record's last modification time.</summary>
        public string LocalModifiedField { get; private set; } = "ModifiedDate";
        /// <summary>The Salesforce field holding the last modification time.</summary>
        public string SalesforceModifiedField { get; private set; } = "LastModifiedDate";
        /// <summary>The local field holding the Salesforce (CRM) id.</summary>
        public string CrmIdField { get; private set; } = "CrmId";
        /// <summary>The Salesforce external id field holding the local id (used by upserts of pushed records).</summary>
        public string ExternalIdField { get; private set; } = "LeadGen_Id__c";
        /// <summary>The local lead-score field.</summary>
        public string LeadScoreField { get; private set; } = "LeadScore";
        /// <summary>The Salesforce lead-score field.</summary>
        public string SalesforceLeadScoreField { get; private set; } = "Lead_Score__c";
        /// <summary>The Salesforce object local events become (Task by default).</summary>
        public string ActivityObject { get; private set; } = "Task";

        /// <summary>The settings of one object key.</summary>
        public SyncObjectProfile Object(string name) =>
            _objects.TryGetValue(name, out var o) ? o : throw new ArgumentException($"'{name}' is not a sync object ({string.Join(", ", ObjectNames)}).", nameof(name));

        /// <summary>
        /// The direction of one local field of an object: the field override, else lead score, else custom fields
        /// (Salesforce name ending in <c>__c</c>), else the object's direction.
        /// </summary>
        public SyncDirection FieldDirection(string objectName, string localField)
        {
            var o = Object(objectName);
            if (o.Fields.TryGetValue(localField, out var d)) return d;
            // Pull-only objects stay pull-only: Salesforce owns them.
            if (o.Direction == SyncDirection.Pull) return SyncDirection.Pull;
            if (string.Equals(localField, LeadScoreField, StringComparison.OrdinalIgnoreCase)) return Object("LeadScore").Direction;
            if (o.SalesforceName(localField).EndsWith("__c", StringComparison.OrdinalIgnoreCase)) return Object("CustomFields").Direction;
            return o.Direction;
        }

        /// <summary>The built-in default (SPEC 7 table).</summary>
        public static SyncProfile Default()
        {
            var p = new SyncProfile();
            p.Object("Leads").Map[p.LeadScoreField] = p.SalesforceLeadScoreField;
            p.Object("Contacts").Map[p.LeadScoreField] = p.SalesforceLeadScoreField;
            return p;
        }

        private static SyncDirection DefaultDirection(string name) => name switch
        {
            "Accounts" => SyncDirection.Pull,
            "Opportunities" => SyncDirection.Pull,
            "LeadScore" => SyncDirection.Push,
            "Events" => SyncDirection.Push,
            _ => SyncDirection.TwoWay,
        };

        /// <summary>Loads and validates a profile file; errors name the file and the key.</summary>
        public static SyncProfile Load(string path) => Parse(JsonConfig.Load(path, "sync profile"), path);

        /// <summary>Validates a parsed profile (settings not given keep the default).</summary>
        public static SyncProfile Parse(JObject root, string source)
        {
            ConfigurationException Error(string key, string message) => new ConfigurationException($"{source}: '{key}': {message}", key);
            var p = new SyncProfile();
            var known = new[] { "schemaVersion", "localModifiedField", "salesforceModifiedField", "crmIdField", "externalIdField", "leadScoreField", "salesforceLeadScoreField", "activityObject", "objects", "$comment" };
            foreach (var prop in root.Properties())
            {
                if (!known.Contains(prop.Name, StringComparer.Ordinal)) throw Error(prop.Name, $"is not a setting of the sync profile (settings: {string.Join(", ", known.Where(k => k != "$comment"))}).");
            }
            var version = root["schemaVersion"];
            if (version == null || version.Type != JTokenType.Integer) throw Error("schemaVersion", "is required and must be 1.");
            if ((int)version != SchemaVersion) throw Error("schemaVersion", $"is {(int)version}; this LeadTools reads schema {SchemaVersion}.");

            string Text(string key, string current)
            {
                var t = root[key];
                if (t == null) return current;
                if (t.Type != JTokenType.String || string.IsNullOrWhiteSpace((string?)t)) throw Error(key, "must be a field name.");
                return (string)t!;
            }
            p.LocalModifiedField = Text("localModifiedField", p.LocalModifiedField);
            p.SalesforceModifiedField = Text("salesforceModifiedField", p.SalesforceModifiedField);
            p.CrmIdField = Text("crmIdField", p.CrmIdField);
            p.ExternalIdField = Text("externalIdField", p.ExternalIdField);
            p.LeadScoreField = Text("leadScoreField", p.LeadScoreField);
            p.SalesforceLeadScoreField = Text("salesforceLeadScoreField", p.SalesforceLeadScoreField);
            p.ActivityObject = Text("activityObject", p.ActivityObject);
            p.Object("Leads").Map[p.LeadScoreField] = p.SalesforceLeadScoreField;
            p.Object("Contacts").Map[p.LeadScoreField] = p.SalesforceLeadScoreField;

            var objects = root["objects"];
            if (objects == null) return p;
            if (!(objects is JObject objs)) throw Error("objects", $"must be an object keyed by {string.Join(", ", ObjectNames)}.");
            foreach (var op in objs.Properties())
            {
                var key = "objects." + op.Name;
                if (!ObjectNames.Contains(op.Name, StringComparer.Ordinal)) throw Error(key, $"is not a sync object ({string.Join(", ", ObjectNames)}).");
                if (!(op.Value is JObject o)) throw Error(key, "must be an object with 'direction', 'fields' and 'map'.");
                var target = p.Object(op.Name);
                foreach (var setting in o.Properties())
                {
                    var skey = key + "." + setting.Name;
                    switch (setting.Name)
                    {
                        case "direction":
                            target.Direction = ParseDirection(setting.Value, skey, Error);
                            // Seed 003 has one algorithm for these: a direction it does not have is refused, never ignored.
                            var only = op.Name switch { "Accounts" => SyncDirection.Pull, "Opportunities" => SyncDirection.Pull, "Events" => SyncDirection.Push, _ => target.Direction };
                            if (target.Direction != only)
                            {
                                throw Error(skey, $"{op.Name} can only {(only == SyncDirection.Pull ? "pull from" : "push to")} Salesforce (seed 003: {op.Name} {(only == SyncDirection.Pull ? "Pull from Salesforce" : "Push to Salesforce")}); '{DirectionName(target.Direction)}' is not supported.");
                            }
                            break;
                        case "fields":
                            if (!(setting.Value is JObject fields)) throw Error(skey, "must be an object of local field name to direction.");
                            foreach (var f in fields.Properties()) target.Fields[f.Name] = ParseDirection(f.Value, skey + "." + f.Name, Error);
                            break;
                        case "map":
                            if (!(setting.Value is JObject map)) throw Error(skey, "must be an object of local field name to Salesforce field name.");
                            foreach (var f in map.Properties())
                            {
                                if (f.Value.Type != JTokenType.String || string.IsNullOrWhiteSpace((string?)f.Value)) throw Error(skey + "." + f.Name, "must be a Salesforce field name.");
                                target.Map[f.Name] = (string)f.Value!;
                            }
                            break;
                        case "pushNew":
                        case "pushLinkedEdits":
                            if (op.Name != "Leads" && op.Name != "Contacts") throw Error(skey, "is a setting of Leads and Contacts only.");
                            if (setting.Value.Type != JTokenType.Boolean) throw Error(skey, "must be true or false.");
                            if (setting.Name == "pushNew") target.PushNew = (bool)setting.Value;
                            else target.PushLinkedEdits = (bool)setting.Value;
                            break;
                        case "pushWithoutCompany":
                            if (op.Name != "Leads") throw Error(skey, "is a setting of Leads only.");
                            if (setting.Value.Type != JTokenType.Boolean) throw Error(skey, "must be true or false.");
                            target.PushWithoutCompany = (bool)setting.Value;
                            break;
                        case "pullAll":
                            if (op.Name != "Accounts") throw Error(skey, "is a setting of Accounts only.");
                            if (setting.Value.Type != JTokenType.Boolean) throw Error(skey, "must be true or false.");
                            target.PullAll = (bool)setting.Value;
                            break;
                        case "$comment":
                            break;
                        default:
                            throw Error(skey, "is not a setting of a sync object (settings: direction, fields, map; pushNew and pushLinkedEdits for Leads and Contacts; pushWithoutCompany for Leads; pullAll for Accounts).");
                    }
                }
            }
            return p;
        }

        private static string DirectionName(SyncDirection d) => d == SyncDirection.TwoWay ? "two-way" : d.ToString().ToLowerInvariant();

        private static SyncDirection ParseDirection(JToken value, string key, Func<string, string, ConfigurationException> error)
        {
            var shown = value.ToString(Newtonsoft.Json.Formatting.None);
            var text = value.Type == JTokenType.String ? ((string?)value)?.Trim().ToLowerInvariant() : null;
            return text switch
            {
                "push" => SyncDirection.Push,
                "pull" => SyncDirection.Pull,
                "two-way" => SyncDirection.TwoWay,
                "twoway" => SyncDirection.TwoWay,
                _ => throw error(key, $"must be 'push', 'pull' or 'two-way', not {shown}."),
            };
        }
    }
}
