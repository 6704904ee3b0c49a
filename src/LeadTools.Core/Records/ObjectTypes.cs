using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;

namespace LeadTools.Core.Records
{
    /// <summary>Object type names: validation, standard names, and inference from file names and Salesforce ids.</summary>
    public static class ObjectTypes
    {
        /// <summary>Standard Salesforce objects LeadTools knows by name (any other valid API name is accepted too).</summary>
        public static readonly IReadOnlyList<string> Standard = new[]
        {
            "Lead", "Contact", "Account", "Opportunity", "Campaign", "CampaignMember", "Task", "Event", "Case",
            "User", "OpportunityContactRole", "AccountContactRelation", "Individual", "Note", "EmailMessage",
        };

        // Salesforce key prefixes (first three characters of an id) of the standard objects above.
        private static readonly Dictionary<string, string> KeyPrefixes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["00Q"] = "Lead", ["003"] = "Contact", ["001"] = "Account", ["006"] = "Opportunity", ["701"] = "Campaign",
            ["00v"] = "CampaignMember", ["00T"] = "Task", ["00U"] = "Event", ["500"] = "Case", ["005"] = "User",
            ["00K"] = "OpportunityContactRole", ["07k"] = "AccountContactRelation", ["0PK"] = "Individual",
            ["002"] = "Note", ["02s"] = "EmailMessage",
        };

        private static readonly Regex ApiName = new Regex(@"^[A-Za-z][A-Za-z0-9_]{0,79}$", RegexOptions.CultureInvariant);
        private static readonly Regex SalesforceId = new Regex(@"^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$", RegexOptions.CultureInvariant);

        /// <summary>True when <paramref name="name"/> is a usable object type name (letters, digits, underscores; starts with a letter).</summary>
        public static bool IsValidName(string? name) => name != null && ApiName.IsMatch(name);

        /// <summary>The standard spelling of a known object type (case-insensitive), or the name as given.</summary>
        public static string Canonical(string name)
        {
            foreach (var s in Standard)
            {
                if (string.Equals(s, name, StringComparison.OrdinalIgnoreCase)) return s;
            }
            return name;
        }

        /// <summary>True when two object type names denote the same type (case-insensitive).</summary>
        public static bool SameType(string? a, string? b) => a != null && b != null && string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

        /// <summary>The object type a Salesforce id's key prefix denotes (00Q = Lead, 003 = Contact, ...), or null.</summary>
        public static string? FromSalesforceId(string? id)
        {
            if (id == null || !SalesforceId.IsMatch(id)) return null;
            return KeyPrefixes.TryGetValue(id.Substring(0, 3), out var type) ? type : null;
        }

        /// <summary>
        /// The object type a file name denotes: <c>Lead.csv</c>, <c>Leads.json</c>, <c>Lead_Data.csv</c>,
        /// <c>data-Contact.json</c>, <c>Market__cs.json</c> (a tree file of Market__c). Null when the name says nothing.
        /// </summary>
        public static string? FromFileName(string path)
        {
            var stem = Path.GetFileNameWithoutExtension(path);
            foreach (var candidate in Candidates(stem))
            {
                foreach (var s in Standard)
                {
                    if (string.Equals(candidate, s, StringComparison.OrdinalIgnoreCase) ||
                        string.Equals(candidate, Plural(s), StringComparison.OrdinalIgnoreCase))
                    {
                        return s;
                    }
                }
                if (candidate.EndsWith("__cs", StringComparison.OrdinalIgnoreCase) && IsValidName(candidate))
                {
                    return candidate.Substring(0, candidate.Length - 1);
                }
                if (candidate.EndsWith("__c", StringComparison.OrdinalIgnoreCase) && IsValidName(candidate))
                {
                    return candidate;
                }
            }
            return null;
        }

        /// <summary>The singular of a plural collection name: <c>leads</c> to <c>lead</c>, <c>opportunities</c> to <c>opportunity</c>, <c>contactTags</c> to <c>contactTag</c>.</summary>
        public static string Singular(string plural)
        {
            if (plural.EndsWith("ies", StringComparison.OrdinalIgnoreCase) && plural.Length > 3) return plural.Substring(0, plural.Length - 3) + "y";
            if (plural.EndsWith("sses", StringComparison.OrdinalIgnoreCase) || plural.EndsWith("xes", StringComparison.OrdinalIgnoreCase)) return plural.Substring(0, plural.Length - 2);
            if (plural.EndsWith("us", StringComparison.OrdinalIgnoreCase) || plural.EndsWith("is", StringComparison.OrdinalIgnoreCase)) return plural;
            if (plural.EndsWith("s", StringComparison.OrdinalIgnoreCase) && !plural.EndsWith("ss", StringComparison.OrdinalIgnoreCase) && plural.Length > 1) return plural.Substring(0, plural.Length - 1);
            return plural;
        }

        private static string Plural(string singular) =>
            singular.EndsWith("y", StringComparison.Ordinal) ? singular.Substring(0, singular.Length - 1) + "ies" :
            singular.EndsWith("s", StringComparison.Ordinal) ? singular + "es" : singular + "s";

        private static IEnumerable<string> Candidates(string stem)
        {
            yield return stem;
            foreach (var suffix in new[] { "_Data", "-Data", "Data", "_Export", "-Export", "Export", "_extract", "-large", "_large" })
            {
                if (stem.Length > suffix.Length && stem.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                {
                    var cut = stem.Substring(0, stem.Length - suffix.Length);
                    yield return cut;
                    foreach (var c in Candidates(cut)) yield return c;
                }
            }
            foreach (var prefix in new[] { "data-", "data_", "export-", "export_" })
            {
                if (stem.Length > prefix.Length && stem.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    foreach (var c in Candidates(stem.Substring(prefix.Length))) yield return c;
                }
            }
        }
    }
}
