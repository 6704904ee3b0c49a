using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using LeadTools.Core.Conversion;
using LeadTools.Core.Records;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Tags
{
    /// <summary>How a mapped field updates an existing person account.</summary>
    public enum UpdatePolicy
    {
        /// <summary>Always write the ActiveCampaign value (the integration's default).</summary>
        AlwaysUpdate,
        /// <summary>Write it only where the person account's field is blank.</summary>
        UpdateIfBlank,
        /// <summary>Never write it (on creation too).</summary>
        Never,
    }

    /// <summary>Which Salesforce person accounts sync out to ActiveCampaign.</summary>
    public enum OutboundMode
    {
        /// <summary>None.</summary>
        None,
        /// <summary>All person accounts created or updated since a time.</summary>
        CreatedOrUpdatedSince,
        /// <summary>Only person accounts flagged by a field criterion.</summary>
        Flagged,
    }

    /// <summary>One ActiveCampaign contact field mapped to a person-account field.</summary>
    public sealed class TagFieldMapping
    {
        internal TagFieldMapping(string from, string to, UpdatePolicy policy)
        {
            From = from;
            To = to;
            Policy = policy;
        }

        /// <summary>The ActiveCampaign contact field (email, firstName, phone, ...).</summary>
        public string From { get; }
        /// <summary>The person-account field (PersonEmail, FirstName, Phone, ...).</summary>
        public string To { get; }
        /// <summary>The update policy.</summary>
        public UpdatePolicy Policy { get; }
    }

    /// <summary>
    /// The person-account tag configuration (SPEC 8): tag names, the creation request tag, the default record type,
    /// the field mapping with update policies and the outbound option. JSON schema: docs/tag-config-schema.md.
    /// </summary>
    public sealed class TagConfig
    {
        /// <summary>
        /// Tags that mark a person-account sync (the source of truth when both kinds are present): every name, aliases
        /// included (seed 002 names the request tag in German too).
        /// </summary>
        public IReadOnlyList<string> PersonAccountTags { get; private set; } = new[] { "created-from-salesforce-person-account", "salesforce-lead-converted-to-person-account", "added-to-salesforce-person-account", "hinzugefügt-zu-salesforce-personenkonto" };
        /// <summary>Tags that mark a contact/account sync: every name, aliases included.</summary>
        public IReadOnlyList<string> ContactTags { get; private set; } = new[] { "added-to-salesforce-contact", "created-from-salesforce-contact", "salesforce-lead-converted-to-contact" };
        private Dictionary<string, string> _canonical = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["hinzugefügt-zu-salesforce-personenkonto"] = "added-to-salesforce-person-account" };

        /// <summary>
        /// The tag's own name for a name or alias (a list entry <c>["added-to-salesforce-person-account",
        /// "hinzugefügt-zu-salesforce-personenkonto"]</c> makes the first the name of both); other names as given, trimmed.
        /// </summary>
        public string Canonical(string name) => _canonical.TryGetValue(name.Trim(), out var c) ? c : name.Trim();

        /// <summary>True when two names are the same tag (trimmed, without regard to case, aliases resolved).</summary>
        public bool SameTag(string a, string b) => string.Equals(Canonical(a), Canonical(b), StringComparison.OrdinalIgnoreCase);
        /// <summary>The tag that, added on the marketing side, requests a person account in Salesforce.</summary>
        public string CreateRequestTag { get; private set; } = "added-to-salesforce-person-account";
        /// <summary>The tag the integration puts on contacts that came from a Salesforce person account.</summary>
        public string FromSalesforceTag { get; private set; } = "created-from-salesforce-person-account";
        /// <summary>
        /// The tag the integration puts on the ActiveCampaign contact of a Salesforce lead that was converted to a person
        /// account (seed 002: "salesforce-lead-converted-to-person-account", from Salesforce to ActiveCampaign).
        /// </summary>
        public string LeadConvertedTag { get; private set; } = "salesforce-lead-converted-to-person-account";
        /// <summary>
        /// Record type of new person accounts. Required when a person account is to be created: the record type, not
        /// IsPersonAccount (which Salesforce derives from it and does not let an insert set), makes an Account a person account.
        /// </summary>
        public string? DefaultRecordTypeId { get; private set; }
        /// <summary>
        /// The person-account field that holds the ActiveCampaign contact id (written on inserts, filled on matched person
        /// accounts, and matched before the email). Null: no such field in the org.
        /// </summary>
        public string? ActiveCampaignIdField { get; private set; } = "ActiveCampaign_Contact_Id__c";
        /// <summary>Field mapping.</summary>
        public IReadOnlyList<TagFieldMapping> FieldMapping { get; private set; } = new[]
        {
            new TagFieldMapping("firstName", "FirstName", UpdatePolicy.AlwaysUpdate),
            new TagFieldMapping("lastName", "LastName", UpdatePolicy.AlwaysUpdate),
            new TagFieldMapping("email", "PersonEmail", UpdatePolicy.AlwaysUpdate),
            new TagFieldMapping("phone", "Phone", UpdatePolicy.AlwaysUpdate),
        };
        /// <summary>The outbound option.</summary>
        public OutboundMode Outbound { get; private set; } = OutboundMode.None;
        /// <summary>For CreatedOrUpdatedSince: the time (UTC).</summary>
        public DateTime? OutboundSince { get; private set; }
        /// <summary>For Flagged: the person-account field.</summary>
        public string? OutboundField { get; private set; }
        /// <summary>For Flagged: the value it must have (compared as text, case-insensitively).</summary>
        public string? OutboundValue { get; private set; }

        /// <summary>The built-in configuration as JSON (what New- or a default gives).</summary>
        public static string ExampleJson => @"{
  ""schemaVersion"": 1,
  ""personAccountTags"": [""created-from-salesforce-person-account"", ""salesforce-lead-converted-to-person-account"", [""added-to-salesforce-person-account"", ""hinzugefügt-zu-salesforce-personenkonto""]],
  ""contactTags"": [""added-to-salesforce-contact"", ""created-from-salesforce-contact"", ""salesforce-lead-converted-to-contact""],
  ""createRequestTag"": ""added-to-salesforce-person-account"",
  ""fromSalesforceTag"": ""created-from-salesforce-person-account"",
  ""leadConvertedTag"": ""salesforce-lead-converted-to-person-account"",
  ""defaultRecordTypeId"": null,
  ""activeCampaignIdField"": ""ActiveCampaign_Contact_Id__c"",
  ""fieldMapping"": [
    { ""from"": ""firstName"", ""to"": ""FirstName"", ""policy"": ""AlwaysUpdate"" },
    { ""from"": ""lastName"", ""to"": ""LastName"", ""policy"": ""AlwaysUpdate"" },
    { ""from"": ""email"", ""to"": ""PersonEmail"", ""policy"": ""AlwaysUpdate"" },
    { ""from"": ""phone"", ""to"": ""Phone"", ""policy"": ""AlwaysUpdate"" }
  ],
  ""outbound"": { ""mode"": ""None"" }
}
";

        /// <summary>The built-in defaults.</summary>
        public static TagConfig Default() => new TagConfig();

        /// <summary>Loads and validates a file; errors name the file and the key.</summary>
        public static TagConfig Load(string path)
        {
            var root = JsonConfig.Load(path, "tag configuration");
            return Parse(root, path);
        }

        /// <summary>Validates a parsed configuration.</summary>
        public static TagConfig Parse(JObject root, string source)
        {
            ConfigurationException Error(string key, string message) => new ConfigurationException($"{source}: '{key}': {message}", key);
            var c = new TagConfig();
            foreach (var p in root.Properties())
            {
                switch (p.Name)
                {
                    case "schemaVersion":
                        if (p.Value.Type != JTokenType.Integer || (int)p.Value != 1) throw Error("schemaVersion", "must be 1.");
                        break;
                    case "personAccountTags":
                        c.PersonAccountTags = Tags(p.Value, p.Name, Error, c._personAliases);
                        break;
                    case "contactTags":
                        c.ContactTags = Tags(p.Value, p.Name, Error, c._contactAliases);
                        break;
                    case "createRequestTag":
                        c.CreateRequestTag = Text(p.Value, p.Name, Error)?.Trim() ?? throw Error(p.Name, "must name a tag.");
                        break;
                    case "fromSalesforceTag":
                        c.FromSalesforceTag = Text(p.Value, p.Name, Error)?.Trim() ?? throw Error(p.Name, "must name a tag.");
                        break;
                    case "leadConvertedTag":
                        c.LeadConvertedTag = Text(p.Value, p.Name, Error)?.Trim() ?? throw Error(p.Name, "must name a tag.");
                        if (c.LeadConvertedTag.Length == 0) throw Error(p.Name, "must name a tag.");
                        break;
                    case "defaultRecordTypeId":
                        c.DefaultRecordTypeId = Text(p.Value, p.Name, Error);
                        if (c.DefaultRecordTypeId != null && c.DefaultRecordTypeId.Trim().Length == 0) throw Error(p.Name, "must be a record type id, or null.");
                        c.DefaultRecordTypeId = c.DefaultRecordTypeId?.Trim();
                        break;
                    case "activeCampaignIdField":
                        c.ActiveCampaignIdField = Text(p.Value, p.Name, Error)?.Trim();
                        if (c.ActiveCampaignIdField != null && !ObjectTypes.IsValidName(c.ActiveCampaignIdField)) throw Error(p.Name, $"'{c.ActiveCampaignIdField}' is not a field API name.");
                        break;
                    case "fieldMapping":
                        if (!(p.Value is JArray list)) throw Error(p.Name, "must be a list of { from, to, policy }.");
                        var maps = new List<TagFieldMapping>();
                        for (var i = 0; i < list.Count; i++)
                        {
                            var at = $"fieldMapping[{i}]";
                            if (!(list[i] is JObject m)) throw Error(at, "must be an object { from, to, policy }.");
                            var from = Text(m["from"], at + ".from", Error) ?? throw Error(at + ".from", "is required: the ActiveCampaign field.");
                            var to = Text(m["to"], at + ".to", Error) ?? throw Error(at + ".to", "is required: the person-account field.");
                            if (!ObjectTypes.IsValidName(to)) throw Error(at + ".to", $"'{to}' is not a field API name.");
                            var policy = UpdatePolicy.AlwaysUpdate;
                            if (m["policy"] != null && !(m["policy"]!.Type == JTokenType.String && Enum.TryParse((string)m["policy"]!, true, out policy) && Enum.IsDefined(typeof(UpdatePolicy), policy)))
                            {
                                throw Error(at + ".policy", $"must be one of {string.Join(", ", Enum.GetNames(typeof(UpdatePolicy)))}, not {m["policy"]}.");
                            }
                            maps.Add(new TagFieldMapping(from, to, policy));
                        }
                        c.FieldMapping = maps;
                        break;
                    case "outbound":
                        if (!(p.Value is JObject o)) throw Error(p.Name, "must be an object { mode, since, field, equals }.");
                        foreach (var k in o.Properties().Where(k => k.Name != "mode" && k.Name != "since" && k.Name != "field" && k.Name != "equals"))
                        {
                            throw Error("outbound." + k.Name, "is not an outbound setting (mode, since, field, equals).");
                        }
                        var mode = o["mode"];
                        if (mode == null || mode.Type != JTokenType.String || !Enum.TryParse((string)mode!, true, out OutboundMode m2) || !Enum.IsDefined(typeof(OutboundMode), m2))
                        {
                            throw Error("outbound.mode", $"must be one of {string.Join(", ", Enum.GetNames(typeof(OutboundMode)))}.");
                        }
                        c.Outbound = m2;
                        if (m2 == OutboundMode.CreatedOrUpdatedSince)
                        {
                            var since = Text(o["since"], "outbound.since", Error);
                            if (since == null || !DateTime.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)) throw Error("outbound.since", "must be an ISO-8601 date-time for CreatedOrUpdatedSince.");
                            c.OutboundSince = t;
                        }
                        if (m2 == OutboundMode.Flagged)
                        {
                            c.OutboundField = Text(o["field"], "outbound.field", Error) ?? throw Error("outbound.field", "is required for Flagged: the person-account field that flags.");
                            c.OutboundValue = o["equals"]?.Type == JTokenType.Boolean ? ((bool)o["equals"]! ? "true" : "false") : Text(o["equals"], "outbound.equals", Error) ?? "true";
                        }
                        break;
                    default:
                        throw Error(p.Name, "is not a tag configuration setting (schemaVersion, personAccountTags, contactTags, createRequestTag, fromSalesforceTag, leadConvertedTag, defaultRecordTypeId, activeCampaignIdField, fieldMapping, outbound).");
                }
            }
            if (!c.PersonAccountTags.Contains(c.CreateRequestTag, StringComparer.OrdinalIgnoreCase)) throw Error("createRequestTag", $"'{c.CreateRequestTag}' must be one of the personAccountTags.");
            c._canonical = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var alias in (root["personAccountTags"] == null ? DefaultPersonAliases : c._personAliases).Concat(root["contactTags"] == null ? new Dictionary<string, string>() : c._contactAliases))
            {
                c._canonical[alias.Key] = alias.Value;
            }
            c.CreateRequestTag = c.Canonical(c.CreateRequestTag);
            c.FromSalesforceTag = c.Canonical(c.FromSalesforceTag);
            c.LeadConvertedTag = c.Canonical(c.LeadConvertedTag);
            // Tags the sync adds must count as person-account tags on the next run, or the contact would flip back.
            if (!c.PersonAccountTags.Contains(c.FromSalesforceTag, StringComparer.OrdinalIgnoreCase)) throw Error("fromSalesforceTag", $"'{c.FromSalesforceTag}' must be one of the personAccountTags.");
            if (!c.PersonAccountTags.Contains(c.LeadConvertedTag, StringComparer.OrdinalIgnoreCase)) throw Error("leadConvertedTag", $"'{c.LeadConvertedTag}' must be one of the personAccountTags.");
            var both = c.PersonAccountTags.Intersect(c.ContactTags, StringComparer.OrdinalIgnoreCase).FirstOrDefault();
            if (both != null) throw Error("contactTags", $"'{both}' is also a person-account tag; a tag marks one kind of sync.");
            return c;
        }

        private readonly Dictionary<string, string> _personAliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, string> _contactAliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        private static readonly Dictionary<string, string> DefaultPersonAliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["hinzugefügt-zu-salesforce-personenkonto"] = "added-to-salesforce-person-account" };

        // Each entry is a tag name, or a list of names of one tag (its name first, then aliases such as the German name).
        private static IReadOnlyList<string> Tags(JToken token, string key, Func<string, string, ConfigurationException> error, Dictionary<string, string> aliases)
        {
            if (!(token is JArray list) || list.Count == 0) throw error(key, "must be a non-empty list of tag names (a name, or a list of names of one tag).");
            var names = new List<string>();
            for (var i = 0; i < list.Count; i++)
            {
                string Name(JToken t, string at) => t.Type == JTokenType.String && ((string)t!).Trim().Length > 0 ? ((string)t!).Trim() : throw error(at, "must be a tag name.");
                if (list[i] is JArray group)
                {
                    if (group.Count == 0) throw error($"{key}[{i}]", "must list at least one name.");
                    var first = Name(group[0], $"{key}[{i}][0]");
                    for (var j = 0; j < group.Count; j++)
                    {
                        var name = Name(group[j], $"{key}[{i}][{j}]");
                        names.Add(name);
                        if (j > 0) aliases[name] = first;
                    }
                }
                else
                {
                    names.Add(Name(list[i], $"{key}[{i}]"));
                }
            }
            return names;
        }

        private static string? Text(JToken? token, string key, Func<string, string, ConfigurationException> error)
        {
            if (token == null || token.Type == JTokenType.Null) return null;
            if (token.Type == JTokenType.Date) return ((DateTime)token!).ToUniversalTime().ToString("o", CultureInfo.InvariantCulture);
            if (token.Type != JTokenType.String) throw error(key, "must be text.");
            return (string)token!;
        }
    }
}
