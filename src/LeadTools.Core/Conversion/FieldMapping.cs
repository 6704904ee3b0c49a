using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using LeadTools.Core.Records;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Conversion
{
    /// <summary>Thrown when a mapping or configuration file is not valid; the message names the file and the key.</summary>
    public sealed class ConfigurationException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public ConfigurationException(string message, string? key = null) : base(message) => Key = key;

        /// <summary>The JSON path of the offending key.</summary>
        public string? Key { get; }
    }

    /// <summary>
    /// Lead field to target field, per target (Contact, Account, Opportunity, PersonAccount). The standard
    /// Salesforce mapping is built in; a JSON file adds or overrides entries:
    /// <code>{ "schemaVersion": 1, "Contact": { "Lead_Score__c": "Lead_Score__c" }, "Account": { ... } }</code>
    /// A target field of <c>null</c> removes a standard entry.
    /// </summary>
    public sealed class FieldMapping
    {
        /// <summary>The targets a mapping file may name.</summary>
        public static readonly string[] Targets = { "Contact", "Account", "Opportunity", "PersonAccount" };

        private readonly Dictionary<string, List<KeyValuePair<string, string>>> _maps = new Dictionary<string, List<KeyValuePair<string, string>>>(StringComparer.OrdinalIgnoreCase);

        private FieldMapping()
        {
            foreach (var t in Targets) _maps[t] = new List<KeyValuePair<string, string>>();
        }

        /// <summary>Lead field to target field pairs for a target.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> For(string target) => _maps[target];

        /// <summary>The standard mapping (Salesforce's lead conversion).</summary>
        public static FieldMapping Standard()
        {
            var m = new FieldMapping();
            void Add(string target, params string[] pairs)
            {
                foreach (var p in pairs)
                {
                    var parts = p.Split('>');
                    m._maps[target].Add(new KeyValuePair<string, string>(parts[0], parts.Length > 1 ? parts[1] : parts[0]));
                }
            }
            Add("Contact", "Salutation", "FirstName", "MiddleName", "LastName", "Suffix", "Title", "Email", "Phone", "MobilePhone", "Fax",
                "Street>MailingStreet", "City>MailingCity", "State>MailingState", "PostalCode>MailingPostalCode", "Country>MailingCountry",
                "StateCode>MailingStateCode", "CountryCode>MailingCountryCode", "Latitude>MailingLatitude", "Longitude>MailingLongitude",
                "LeadSource", "Description", "HasOptedOutOfEmail", "HasOptedOutOfFax", "DoNotCall", "EmailBouncedReason", "EmailBouncedDate", "IndividualId");
            Add("Account", "Company>Name", "Street>BillingStreet", "City>BillingCity", "State>BillingState", "PostalCode>BillingPostalCode",
                "Country>BillingCountry", "StateCode>BillingStateCode", "CountryCode>BillingCountryCode", "Phone", "Fax", "Website", "Industry",
                "AnnualRevenue", "NumberOfEmployees", "Rating", "LeadSource>AccountSource");
            Add("Opportunity", "LeadSource");
            Add("PersonAccount", "Salutation", "FirstName", "MiddleName", "LastName", "Suffix", "Title>PersonTitle", "Email>PersonEmail", "Phone",
                "MobilePhone>PersonMobilePhone", "Fax", "Street>PersonMailingStreet", "City>PersonMailingCity", "State>PersonMailingState",
                "PostalCode>PersonMailingPostalCode", "Country>PersonMailingCountry", "LeadSource>AccountSource", "Description",
                "HasOptedOutOfEmail>PersonHasOptedOutOfEmail", "DoNotCall>PersonDoNotCall", "Website", "Industry", "AnnualRevenue");
            return m;
        }

        /// <summary>The standard mapping with the entries of a JSON mapping file applied.</summary>
        public static FieldMapping Load(string path)
        {
            var root = JsonConfig.Load(path, "mapping");
            return Apply(Standard(), root, path);
        }

        internal static FieldMapping Apply(FieldMapping mapping, JObject root, string source)
        {
            foreach (var section in root.Properties())
            {
                if (section.Name == "schemaVersion")
                {
                    if (section.Value.Type != JTokenType.Integer || (int)section.Value > 1)
                    {
                        throw new ConfigurationException($"{source}: schemaVersion must be 1 (this LeadTools reads mapping schema 1).", "schemaVersion");
                    }
                    continue;
                }
                var target = Targets.FirstOrDefault(t => string.Equals(t, section.Name, StringComparison.OrdinalIgnoreCase));
                if (target == null)
                {
                    throw new ConfigurationException($"{source}: '{section.Name}' is not a conversion target; use {string.Join(", ", Targets)}.", section.Name);
                }
                if (!(section.Value is JObject fields))
                {
                    throw new ConfigurationException($"{source}: '{section.Name}' must be an object of lead field to {target} field.", section.Name);
                }
                var list = mapping._maps[target];
                foreach (var f in fields.Properties())
                {
                    var key = section.Name + "." + f.Name;
                    if (!ObjectTypes.IsValidName(f.Name))
                    {
                        throw new ConfigurationException($"{source}: '{key}': '{f.Name}' is not a field API name.", key);
                    }
                    list.RemoveAll(p => string.Equals(p.Key, f.Name, StringComparison.OrdinalIgnoreCase));
                    if (f.Value.Type == JTokenType.Null) continue;
                    if (f.Value.Type != JTokenType.String || !ObjectTypes.IsValidName((string)f.Value!))
                    {
                        throw new ConfigurationException($"{source}: '{key}' must name a {target} field (text), or be null to drop the standard mapping.", key);
                    }
                    list.Add(new KeyValuePair<string, string>(f.Name, (string)f.Value!));
                }
            }
            return mapping;
        }
    }
}
