using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using LeadTools.Core.Conversion;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Funnel
{
    /// <summary>One lead or contact status value.</summary>
    public sealed class StatusValue
    {
        internal StatusValue(string value, bool active, int order, string? responseStatus)
        {
            Value = value;
            Active = active;
            Order = order;
            ResponseStatus = responseStatus;
        }

        /// <summary>The status value (Status picklist value).</summary>
        public string Value { get; }
        /// <summary>True for an active (pre-opportunity) status.</summary>
        public bool Active { get; }
        /// <summary>Progression order among active values (higher is more progressed).</summary>
        public int Order { get; }
        /// <summary>The campaign-member response status that corresponds to this status (active values).</summary>
        public string? ResponseStatus { get; }
    }

    /// <summary>When a contact with an opportunity-active response may also hold an active response.</summary>
    public enum AdditionalResponseRule
    {
        /// <summary>Never.</summary>
        Never,
        /// <summary>Always.</summary>
        Always,
        /// <summary>Only when the new response's campaign is a Response Prompt campaign.</summary>
        ResponsePromptOnly,
    }

    /// <summary>Which response survives when several active responses meet.</summary>
    public enum SurvivingResponseRule
    {
        /// <summary>The oldest by response date (default; SPEC 5.3 row 3).</summary>
        Oldest,
        /// <summary>The newest by response date.</summary>
        Newest,
    }

    /// <summary>Which membership survives when merged records are members of the same campaign (SPEC 5.2).</summary>
    public enum MembershipSurvivorRule
    {
        /// <summary>The older membership (CreatedDate), as Salesforce usually does.</summary>
        Oldest,
        /// <summary>The newer membership.</summary>
        Newest,
        /// <summary>The one with a response (then the oldest).</summary>
        Responded,
        /// <summary>The one whose response status is the most progressed (then the oldest).</summary>
        MostProgressed,
    }

    /// <summary>The format of the opportunity archive field when it is blank (an archive already there keeps its own format).</summary>
    public enum ArchiveFormat
    {
        /// <summary>Full Circle's format: XML.</summary>
        Xml,
        /// <summary>A JSON array of campaign members.</summary>
        Json,
    }

    /// <summary>
    /// The funnel status configuration (SPEC 4.1): status values and their progression, response statuses,
    /// resolution values, passive mode, non-response record types and the merge options. Loaded from a JSON
    /// file whose schema is in docs/funnel-config-schema.md; <see cref="Example"/> is the built-in example.
    /// </summary>
    public sealed class FunnelConfig
    {
        /// <summary>The schema version this LeadTools reads.</summary>
        public const int SchemaVersion = 1;

        /// <summary>Lead status values.</summary>
        public IReadOnlyList<StatusValue> LeadStatuses { get; private set; } = Array.Empty<StatusValue>();
        /// <summary>Contact status values.</summary>
        public IReadOnlyList<StatusValue> ContactStatuses { get; private set; } = Array.Empty<StatusValue>();
        /// <summary>Response status set on responses shut down by a merge.</summary>
        public string ResolvedMerged { get; private set; } = "Resolved - Merged";
        /// <summary>Response status set on responses shut down because the survivor is a non-response record type.</summary>
        public string ResolvedNonResponse { get; private set; } = "Resolved - Non-Response RT";
        /// <summary>The whole org runs in passive mode.</summary>
        public bool PassiveOrg { get; private set; }
        /// <summary>Users running in passive mode.</summary>
        public ISet<string> PassiveUsers { get; private set; } = new HashSet<string>(StringComparer.Ordinal);
        /// <summary>Record types processed passively.</summary>
        public ISet<string> PassiveRecordTypes { get; private set; } = new HashSet<string>(StringComparer.Ordinal);
        /// <summary>Record types excluded from all funnel processing.</summary>
        public ISet<string> NonResponseRecordTypes { get; private set; } = new HashSet<string>(StringComparer.Ordinal);
        /// <summary>Contact status of a contact with an opportunity-active response.</summary>
        public string ContactStatusWhenConvertedWithOpportunity { get; private set; } = "Active Opportunity";
        /// <summary>When a contact with an opportunity-active response may also hold an active response.</summary>
        public AdditionalResponseRule AdditionalResponse { get; private set; } = AdditionalResponseRule.ResponsePromptOnly;
        /// <summary>Lead status to contact status when both are inactive at conversion.</summary>
        public IReadOnlyDictionary<string, string> LeadConversionStatusOverrides { get; private set; } = new Dictionary<string, string>();
        /// <summary>Which response survives.</summary>
        public SurvivingResponseRule SurvivingResponse { get; private set; } = SurvivingResponseRule.Oldest;
        /// <summary>Which membership survives in the same campaign.</summary>
        public MembershipSurvivorRule MembershipSurvivor { get; private set; } = MembershipSurvivorRule.Oldest;
        /// <summary>The system campaign archived memberships go to when they cannot be re-inserted.</summary>
        public string? SystemCampaignId { get; private set; }

        /// <summary>Original campaign id to the repeat (cascade) campaign that holds its repeat members: an archived membership is re-inserted there as a repeat member of its own campaign.</summary>
        public IReadOnlyDictionary<string, string> RepeatCampaigns { get; private set; } = new Dictionary<string, string>(StringComparer.Ordinal);
        /// <summary>The user doing merges and conversions runs in passive mode (seed 001: "Is the user doing the merge running in passive mode?").</summary>
        public bool PassiveMergingUser { get; private set; }
        /// <summary>The format a blank archive field is written in (Xml, Full Circle's, by default).</summary>
        public ArchiveFormat ArchiveFormat { get; private set; } = ArchiveFormat.Xml;

        /// <summary>Lead status field (default Status).</summary>
        public string LeadStatusField { get; private set; } = "Status";
        /// <summary>Contact status field (default Status; Salesforce contacts have no standard Status, Full Circle orgs use a custom field).</summary>
        public string ContactStatusField { get; private set; } = "Status";
        /// <summary>Lead field holding the date the status was last set (null: none; stale checks then use LastModifiedDate).</summary>
        public string? LeadStatusDateField { get; private set; }
        /// <summary>Contact field holding the date the status was last set.</summary>
        public string? ContactStatusDateField { get; private set; }

        /// <summary>The status field of an object type (Lead, Contact).</summary>
        public string StatusFieldOf(string? objectType) =>
            string.Equals(objectType, "Contact", StringComparison.OrdinalIgnoreCase) ? ContactStatusField : LeadStatusField;

        /// <summary>The status-date field of an object type, null when not configured.</summary>
        public string? StatusDateFieldOf(string? objectType) =>
            string.Equals(objectType, "Contact", StringComparison.OrdinalIgnoreCase) ? ContactStatusDateField : LeadStatusDateField;

        /// <summary>Campaign-member response status field.</summary>
        public string ResponseStatusField { get; private set; } = "FCRM__FCR_Response_Status__c";
        /// <summary>Campaign-member response date field.</summary>
        public string ResponseDateField { get; private set; } = "FCRM__FCR_Response_Date__c";
        /// <summary>Campaign-member opportunity lookup field.</summary>
        public string OpportunityField { get; private set; } = "FCRM__FCR_Opportunity__c";
        /// <summary>Opportunity field holding archived campaign members.</summary>
        public string ArchiveField { get; private set; } = "FCRM__FCR_Admin_CMArchive__c";
        /// <summary>Campaign field or type value that marks Response Prompt campaigns.</summary>
        public string ResponsePromptField { get; private set; } = "FCRM__FCR_Response_Prompt__c";

        /// <summary>The statuses of an object type (Lead, Contact).</summary>
        public IReadOnlyList<StatusValue> StatusesOf(string? objectType) =>
            string.Equals(objectType, "Contact", StringComparison.OrdinalIgnoreCase) ? ContactStatuses : LeadStatuses;

        /// <summary>The status value entry, or null when the status is not configured.</summary>
        public StatusValue? Status(string? objectType, string? value) =>
            value == null ? null : StatusesOf(objectType).FirstOrDefault(s => string.Equals(s.Value, value, StringComparison.OrdinalIgnoreCase));

        /// <summary>The active status of an object type whose response status is <paramref name="responseStatus"/>.</summary>
        public StatusValue? StatusForResponse(string? objectType, string? responseStatus) =>
            responseStatus == null ? null : StatusesOf(objectType).FirstOrDefault(s => s.Active && string.Equals(s.ResponseStatus, responseStatus, StringComparison.OrdinalIgnoreCase));

        /// <summary>True when a response status corresponds to some active status (of leads or contacts).</summary>
        public bool IsActiveResponseStatus(string? responseStatus) =>
            responseStatus != null && (StatusForResponse("Lead", responseStatus) != null || StatusForResponse("Contact", responseStatus) != null);

        /// <summary>The built-in example configuration (SPEC 4.1; the status progression of seed 001).</summary>
        public static string ExampleJson => @"{
  ""schemaVersion"": 1,
  ""leadStatuses"": [
    { ""value"": ""Open - Not Contacted"", ""active"": true, ""order"": 1, ""responseStatus"": ""Open - Not Contacted"" },
    { ""value"": ""Attempting Contact"", ""active"": true, ""order"": 2, ""responseStatus"": ""Attempting Contact"" },
    { ""value"": ""Working"", ""active"": true, ""order"": 3, ""responseStatus"": ""Working"" },
    { ""value"": ""Marketing Qualified"", ""active"": true, ""order"": 4, ""responseStatus"": ""Marketing Qualified"" },
    { ""value"": ""Disqualified"", ""active"": false },
    { ""value"": ""Nurture"", ""active"": false },
    { ""value"": ""Remarket"", ""active"": false },
    { ""value"": ""Closed - Converted"", ""active"": false }
  ],
  ""contactStatuses"": [
    { ""value"": ""Open - Not Contacted"", ""active"": true, ""order"": 1, ""responseStatus"": ""Open - Not Contacted"" },
    { ""value"": ""Attempting Contact"", ""active"": true, ""order"": 2, ""responseStatus"": ""Attempting Contact"" },
    { ""value"": ""Working"", ""active"": true, ""order"": 3, ""responseStatus"": ""Working"" },
    { ""value"": ""Marketing Qualified"", ""active"": true, ""order"": 4, ""responseStatus"": ""Marketing Qualified"" },
    { ""value"": ""Active Opportunity"", ""active"": false },
    { ""value"": ""Disqualified"", ""active"": false },
    { ""value"": ""Nurture"", ""active"": false },
    { ""value"": ""Remarket"", ""active"": false },
    { ""value"": ""Customer"", ""active"": false }
  ],
  ""resolution"": { ""merged"": ""Resolved - Merged"", ""nonResponseRecordType"": ""Resolved - Non-Response RT"" },
  ""passive"": { ""org"": false, ""users"": [], ""recordTypes"": [], ""mergingUser"": false },
  ""nonResponseRecordTypes"": [],
  ""contactStatusWhenConvertedWithOpportunity"": ""Active Opportunity"",
  ""additionalResponse"": ""ResponsePromptOnly"",
  ""leadConversionStatusOverrides"": { ""Nurture"": ""Nurture"", ""Disqualified"": ""Disqualified"", ""Remarket"": ""Remarket"" },
  ""survivingResponse"": ""Oldest"",
  ""membershipSurvivor"": ""Oldest"",
  ""systemCampaignId"": null,
  ""repeatCampaigns"": {},
  ""archiveFormat"": ""Xml"",
  ""fields"": {
    ""leadStatus"": ""Status"",
    ""contactStatus"": ""Status"",
    ""responseStatus"": ""FCRM__FCR_Response_Status__c"",
    ""responseDate"": ""FCRM__FCR_Response_Date__c"",
    ""opportunity"": ""FCRM__FCR_Opportunity__c"",
    ""archive"": ""FCRM__FCR_Admin_CMArchive__c"",
    ""responsePrompt"": ""FCRM__FCR_Response_Prompt__c""
  }
}
";

        /// <summary>The built-in example, parsed.</summary>
        public static FunnelConfig Example() => Parse(JObject.Parse(ExampleJson), "(built-in example)");

        /// <summary>Loads and validates a configuration file; errors name the file and the key.</summary>
        public static FunnelConfig Load(string path)
        {
            var root = JsonConfig.Load(path, "status configuration");
            return Parse(root, path);
        }

        /// <summary>Validates a parsed configuration.</summary>
        public static FunnelConfig Parse(JObject root, string source)
        {
            var c = new FunnelConfig();
            ConfigurationException Error(string key, string message) => new ConfigurationException($"{source}: '{key}': {message}", key);
            var known = new HashSet<string>(StringComparer.Ordinal)
            {
                "schemaVersion", "leadStatuses", "contactStatuses", "resolution", "passive", "nonResponseRecordTypes", "contactStatusWhenConvertedWithOpportunity",
                "additionalResponse", "leadConversionStatusOverrides", "survivingResponse", "membershipSurvivor", "systemCampaignId", "repeatCampaigns", "archiveFormat", "fields", "$comment",
            };
            foreach (var p in root.Properties())
            {
                if (!known.Contains(p.Name)) throw Error(p.Name, $"is not a setting of the status configuration (settings: {string.Join(", ", known.Where(k => k != "$comment"))}).");
            }
            var version = root["schemaVersion"];
            if (version == null || version.Type != JTokenType.Integer) throw Error("schemaVersion", "is required and must be 1.");
            if ((int)version != SchemaVersion) throw Error("schemaVersion", $"is {(int)version}; this LeadTools reads schema {SchemaVersion}.");

            c.LeadStatuses = Statuses(root, "leadStatuses", Error);
            c.ContactStatuses = Statuses(root, "contactStatuses", Error);

            if (root["resolution"] is JObject resolution)
            {
                c.ResolvedMerged = Text(resolution, "resolution.merged", "merged", Error) ?? c.ResolvedMerged;
                c.ResolvedNonResponse = Text(resolution, "resolution.nonResponseRecordType", "nonResponseRecordType", Error) ?? c.ResolvedNonResponse;
            }
            else if (root["resolution"] != null) throw Error("resolution", "must be an object with 'merged' and 'nonResponseRecordType'.");
            if (string.IsNullOrWhiteSpace(c.ResolvedMerged)) throw Error("resolution.merged", "is missing: name the response status for responses shut down by a merge.");
            if (string.IsNullOrWhiteSpace(c.ResolvedNonResponse)) throw Error("resolution.nonResponseRecordType", "is missing.");

            if (root["passive"] is JObject passive)
            {
                var org = passive["org"];
                if (org != null && org.Type != JTokenType.Boolean) throw Error("passive.org", "must be true or false.");
                c.PassiveOrg = org != null && (bool)org;
                c.PassiveUsers = Strings(passive["users"], "passive.users", Error);
                c.PassiveRecordTypes = Strings(passive["recordTypes"], "passive.recordTypes", Error);
                var mergingUser = passive["mergingUser"];
                if (mergingUser != null && mergingUser.Type != JTokenType.Boolean) throw Error("passive.mergingUser", "must be true or false (true: the user doing merges and conversions runs in passive mode).");
                c.PassiveMergingUser = mergingUser != null && (bool)mergingUser;
                foreach (var p in passive.Properties())
                {
                    if (p.Name != "org" && p.Name != "users" && p.Name != "recordTypes" && p.Name != "mergingUser") throw Error("passive." + p.Name, "is not a passive-mode setting (org, users, recordTypes, mergingUser).");
                }
            }
            else if (root["passive"] != null) throw Error("passive", "must be an object with 'org', 'users' and 'recordTypes'.");
            c.NonResponseRecordTypes = Strings(root["nonResponseRecordTypes"], "nonResponseRecordTypes", Error);

            var cswo = root["contactStatusWhenConvertedWithOpportunity"];
            if (cswo != null)
            {
                if (cswo.Type != JTokenType.String) throw Error("contactStatusWhenConvertedWithOpportunity", "must be a contact status value.");
                c.ContactStatusWhenConvertedWithOpportunity = (string)cswo!;
            }
            if (c.Status("Contact", c.ContactStatusWhenConvertedWithOpportunity) == null)
            {
                throw Error("contactStatusWhenConvertedWithOpportunity", $"'{c.ContactStatusWhenConvertedWithOpportunity}' is not one of the contactStatuses.");
            }
            c.AdditionalResponse = EnumValue(root["additionalResponse"], "additionalResponse", AdditionalResponseRule.ResponsePromptOnly, Error);
            c.SurvivingResponse = EnumValue(root["survivingResponse"], "survivingResponse", SurvivingResponseRule.Oldest, Error);
            c.MembershipSurvivor = EnumValue(root["membershipSurvivor"], "membershipSurvivor", MembershipSurvivorRule.Oldest, Error);

            var overrides = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (root["leadConversionStatusOverrides"] is JObject ov)
            {
                foreach (var p in ov.Properties())
                {
                    var key = "leadConversionStatusOverrides." + p.Name;
                    var lead = c.Status("Lead", p.Name);
                    if (lead == null) throw Error(key, $"'{p.Name}' is not one of the leadStatuses.");
                    if (lead.Active) throw Error(key, $"'{p.Name}' is an active lead status; overrides apply when lead and contact are both inactive.");
                    if (p.Value.Type != JTokenType.String || c.Status("Contact", (string)p.Value!) == null) throw Error(key, $"must name one of the contactStatuses, not {p.Value}.");
                    if (c.Status("Contact", (string)p.Value!)!.Active) throw Error(key, $"'{p.Value}' is an active contact status; the override must be inactive.");
                    overrides[p.Name] = (string)p.Value!;
                }
            }
            else if (root["leadConversionStatusOverrides"] != null) throw Error("leadConversionStatusOverrides", "must be an object of lead status to contact status.");
            c.LeadConversionStatusOverrides = overrides;

            var system = root["systemCampaignId"];
            if (system != null && system.Type != JTokenType.Null)
            {
                if (system.Type != JTokenType.String) throw Error("systemCampaignId", "must be a campaign id or null.");
                c.SystemCampaignId = (string)system!;
            }

            var repeat = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root["repeatCampaigns"] is JObject rc)
            {
                foreach (var p in rc.Properties())
                {
                    if (p.Value.Type != JTokenType.String || string.IsNullOrWhiteSpace((string?)p.Value)) throw Error("repeatCampaigns." + p.Name, "must name the repeat campaign id that holds repeat members of this campaign.");
                    if (string.Equals((string)p.Value!, p.Name, StringComparison.Ordinal)) throw Error("repeatCampaigns." + p.Name, "must name another campaign: Salesforce holds one membership per person and campaign.");
                    repeat[p.Name] = (string)p.Value!;
                }
            }
            else if (root["repeatCampaigns"] != null && root["repeatCampaigns"]!.Type != JTokenType.Null) throw Error("repeatCampaigns", "must be an object of campaign id to repeat campaign id.");
            c.RepeatCampaigns = repeat;
            c.ArchiveFormat = EnumValue(root["archiveFormat"], "archiveFormat", ArchiveFormat.Xml, Error);

            if (root["fields"] is JObject fields)
            {
                foreach (var p in fields.Properties())
                {
                    var key = "fields." + p.Name;
                    if (p.Value.Type != JTokenType.String || !Records.ObjectTypes.IsValidName((string)p.Value!)) throw Error(key, "must be a field API name.");
                    var value = (string)p.Value!;
                    switch (p.Name)
                    {
                        case "responseStatus": c.ResponseStatusField = value; break;
                        case "responseDate": c.ResponseDateField = value; break;
                        case "opportunity": c.OpportunityField = value; break;
                        case "archive": c.ArchiveField = value; break;
                        case "responsePrompt": c.ResponsePromptField = value; break;
                        case "leadStatus": c.LeadStatusField = value; break;
                        case "contactStatus": c.ContactStatusField = value; break;
                        case "leadStatusDate": c.LeadStatusDateField = value; break;
                        case "contactStatusDate": c.ContactStatusDateField = value; break;
                        default: throw Error(key, "is not a field setting (responseStatus, responseDate, opportunity, archive, responsePrompt, leadStatus, contactStatus, leadStatusDate, contactStatusDate).");
                    }
                }
            }
            else if (root["fields"] != null) throw Error("fields", "must be an object of field names.");
            return c;
        }

        private static IReadOnlyList<StatusValue> Statuses(JObject root, string key, Func<string, string, ConfigurationException> error)
        {
            if (!(root[key] is JArray array) || array.Count == 0) throw error(key, "is required: a list of { value, active, order, responseStatus }.");
            var list = new List<StatusValue>();
            for (var i = 0; i < array.Count; i++)
            {
                var at = $"{key}[{i}]";
                if (!(array[i] is JObject o)) throw error(at, "must be an object { value, active, order, responseStatus }.");
                if (o["value"]?.Type != JTokenType.String || string.IsNullOrWhiteSpace((string?)o["value"])) throw error(at + ".value", "is required: the status value.");
                var value = (string)o["value"]!;
                if (o["active"]?.Type != JTokenType.Boolean) throw error(at + ".active", $"is required for '{value}': true or false.");
                var active = (bool)o["active"]!;
                var order = o["order"]?.Type == JTokenType.Integer ? (int)o["order"]! : 0;
                if (o["order"] != null && o["order"]!.Type != JTokenType.Integer) throw error(at + ".order", "must be a whole number.");
                string? response = null;
                if (o["responseStatus"] != null && o["responseStatus"]!.Type != JTokenType.Null)
                {
                    if (o["responseStatus"]!.Type != JTokenType.String) throw error(at + ".responseStatus", "must be a response status value.");
                    response = (string)o["responseStatus"]!;
                }
                if (active && response == null) response = value;
                if (!active && response != null) throw error(at + ".responseStatus", $"'{value}' is inactive; only active statuses have a corresponding response status.");
                foreach (var p in o.Properties())
                {
                    if (p.Name != "value" && p.Name != "active" && p.Name != "order" && p.Name != "responseStatus") throw error(at + "." + p.Name, "is not a status setting (value, active, order, responseStatus).");
                }
                if (list.Any(s => string.Equals(s.Value, value, StringComparison.OrdinalIgnoreCase))) throw error(at + ".value", $"'{value}' is listed twice.");
                list.Add(new StatusValue(value, active, order, response));
            }
            return list;
        }

        private static string? Text(JObject o, string key, string name, Func<string, string, ConfigurationException> error)
        {
            var t = o[name];
            if (t == null || t.Type == JTokenType.Null) return null;
            if (t.Type != JTokenType.String) throw error(key, "must be text.");
            return (string)t!;
        }

        private static ISet<string> Strings(JToken? token, string key, Func<string, string, ConfigurationException> error)
        {
            var set = new HashSet<string>(StringComparer.Ordinal);
            if (token == null || token.Type == JTokenType.Null) return set;
            if (!(token is JArray array)) throw error(key, "must be a list of ids.");
            foreach (var item in array)
            {
                if (item.Type != JTokenType.String) throw error(key, $"must hold ids (text), not {item}.");
                set.Add((string)item!);
            }
            return set;
        }

        private static T EnumValue<T>(JToken? token, string key, T fallback, Func<string, string, ConfigurationException> error) where T : struct
        {
            if (token == null || token.Type == JTokenType.Null) return fallback;
            if (token.Type == JTokenType.String && Enum.TryParse<T>((string)token!, true, out var value) && Enum.IsDefined(typeof(T), value)) return value;
            throw error(key, $"must be one of {string.Join(", ", Enum.GetNames(typeof(T)))}, not {token}.");
        }
    }
}
