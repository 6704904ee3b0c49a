using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using LeadTools.Core.Conversion;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Matching
{
    /// <summary>
    /// Reads a JSON matching strategy (schema: docs/strategy-schema.md). Every problem is a
    /// <see cref="ConfigurationException"/> whose message names the file and the key (a JSON path such as
    /// <c>rules[1].conditions[0].method</c>) and whose <see cref="ConfigurationException.Key"/> is that path.
    /// </summary>
    public static class MatchStrategyFile
    {
        /// <summary>The schema version this LeadTools reads.</summary>
        public const int SchemaVersion = 1;

        /// <summary>Loads and validates a strategy file.</summary>
        public static MatchStrategy Load(string path)
        {
            if (!File.Exists(path)) throw new ConfigurationException($"{path}: the strategy file does not exist.");
            JObject root;
            try
            {
                root = JsonConfig.Parse(File.ReadAllText(path));
            }
            catch (JsonReaderException ex)
            {
                throw new ConfigurationException($"{path}: line {ex.LineNumber}, column {ex.LinePosition}: the strategy is not valid JSON: {ex.Message}");
            }
            return Parse(root, path, Path.GetFileNameWithoutExtension(path));
        }

        /// <summary>Validates a strategy held as a JSON object; <paramref name="source"/> names it in messages.</summary>
        public static MatchStrategy Parse(JObject root, string source, string defaultName)
        {
            ConfigurationException Error(string key, string message) => new ConfigurationException($"{source}: '{key}' {message}", key);

            var name = defaultName;
            var gmail = false;
            var country = "1";
            List<MatchRule>? rules = null;
            var fieldNames = new Dictionary<MatchField, string[]>();
            var customFields = new List<KeyValuePair<string, string[]>>();
            var sawVersion = false;
            foreach (var p in root.Properties())
            {
                switch (p.Name)
                {
                    case "schemaVersion":
                        if (p.Value.Type != JTokenType.Integer || (int)p.Value != SchemaVersion) throw Error(p.Name, $"must be {SchemaVersion} (this LeadTools reads strategy schema {SchemaVersion}).");
                        sawVersion = true;
                        break;
                    case "name":
                        if (p.Value.Type != JTokenType.String || string.IsNullOrWhiteSpace((string?)p.Value)) throw Error(p.Name, "must be a non-empty text.");
                        name = (string)p.Value!;
                        break;
                    case "gmailRules":
                        if (p.Value.Type != JTokenType.Boolean) throw Error(p.Name, "must be true or false.");
                        gmail = (bool)p.Value;
                        break;
                    case "defaultCountryCode":
                        var cc = p.Value.Type == JTokenType.String || p.Value.Type == JTokenType.Integer ? p.Value.ToString() : string.Empty;
                        if (cc.Length == 0 || cc.Length > 3 || !cc.All(c => c >= '0' && c <= '9')) throw Error(p.Name, "must be a country calling code of 1 to 3 digits (\"1\", \"44\", \"49\").");
                        country = cc;
                        break;
                    case "fields":
                        if (!(p.Value is JObject fields)) throw Error(p.Name, "must be an object of logical field to a list of record field names.");
                        foreach (var f in fields.Properties())
                        {
                            var key = "fields." + f.Name;
                            var builtIn = MatchCondition.BuiltInField(f.Name);
                            if (builtIn == null)
                            {
                                // Any other name declares a custom field (a topic, a product lookup): SPEC 6.1 strategies may use any field.
                                var sameButCase = Enum.GetNames(typeof(MatchField)).FirstOrDefault(n => string.Equals(n, f.Name, StringComparison.OrdinalIgnoreCase));
                                if (sameButCase != null) throw Error(key, $"differs from the built-in field {sameButCase} only in case; write {sameButCase}.");
                                if (!IsCustomFieldName(f.Name)) throw Error(key, "is not a usable custom field name (letters, digits, '_', '.', '@'; starting with a letter or '_').");
                                if (customFields.Any(c => string.Equals(c.Key, f.Name, StringComparison.OrdinalIgnoreCase))) throw Error(key, "declares a custom field twice (names are case-insensitive).");
                            }
                            var names = f.Value.Type == JTokenType.String && ((string?)f.Value)!.Trim().Length > 0 ? new[] { (string)f.Value! }
                                : f.Value is JArray arr && arr.Count > 0 && arr.All(t => t.Type == JTokenType.String && ((string?)t)!.Trim().Length > 0) ? arr.Select(t => (string)t!).ToArray()
                                : throw Error(key, "must be a field name or a non-empty list of field names.");
                            if (builtIn != null) fieldNames[builtIn.Value] = names;
                            else customFields.Add(new KeyValuePair<string, string[]>(f.Name, names));
                        }
                        break;
                    case "rules":
                        if (!(p.Value is JArray ruleArray) || ruleArray.Count == 0) throw Error(p.Name, "must be a non-empty list of rules.");
                        rules = new List<MatchRule>();
                        for (var i = 0; i < ruleArray.Count; i++) rules.Add(ParseRule(ruleArray[i], "rules[" + i + "]", Error));
                        break;
                    default:
                        throw Error(p.Name, "is not a strategy key; use schemaVersion, name, gmailRules, defaultCountryCode, fields, rules.");
                }
            }
            if (!sawVersion) throw Error("schemaVersion", "is missing (it must be 1).");
            if (rules == null) throw Error("rules", "is missing: a strategy needs at least one rule.");
            var dupe = rules.GroupBy(r => r.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
            if (dupe != null) throw Error("rules", $"names '{dupe.Key}' twice; rule names must be unique.");
            // A custom field must be declared under "fields" (a misspelt built-in field would otherwise silently read a
            // record field that does not exist), every declared one must be used, and a rule needs a built-in field to
            // find its candidates by (custom fields refine a match; they are not indexed).
            for (var r = 0; r < rules.Count; r++)
            {
                for (var c = 0; c < rules[r].Conditions.Count; c++)
                {
                    var cond = rules[r].Conditions[c];
                    if (!cond.IsCustomField) continue;
                    var declared = customFields.FirstOrDefault(d => string.Equals(d.Key, cond.FieldName, StringComparison.OrdinalIgnoreCase));
                    if (declared.Key == null)
                        throw Error($"rules[{r}].conditions[{c}].field", $"'{cond.FieldName}' is neither a built-in field ({string.Join(", ", Enum.GetNames(typeof(MatchField)))}) nor a custom field declared under 'fields' (\"fields\": {{ \"{cond.FieldName}\": [\"record_field_name\"] }}).");
                }
                if (rules[r].Conditions.All(c => c.IsCustomField))
                    throw Error($"rules[{r}].conditions", "compare only custom fields; add a condition on a built-in field (Email, Phone, FirstName and LastName, Company, Street, BirthDate) so candidates can be found without comparing every pair.");
            }
            foreach (var d in customFields)
            {
                if (!rules.Any(r => r.Conditions.Any(c => c.IsCustomField && string.Equals(c.FieldName, d.Key, StringComparison.OrdinalIgnoreCase))))
                    throw Error("fields." + d.Key, "declares a custom field that no rule compares (a misspelt field name?).");
            }
            try
            {
                return new MatchStrategy(name, rules, fieldNames, gmail, country, customFields);
            }
            catch (ArgumentException ex)
            {
                throw Error("fields", ex.Message);
            }
        }

        private static MatchRule ParseRule(JToken token, string at, Func<string, string, ConfigurationException> error)
        {
            if (!(token is JObject o)) throw error(at, "must be an object with name and conditions.");
            string? name = null;
            var transposed = false;
            List<MatchCondition>? conditions = null;
            foreach (var p in o.Properties())
            {
                var key = at + "." + p.Name;
                switch (p.Name)
                {
                    case "name":
                        if (p.Value.Type != JTokenType.String || string.IsNullOrWhiteSpace((string?)p.Value)) throw error(key, "must be a non-empty text.");
                        name = (string)p.Value!;
                        break;
                    case "allowTransposedNames":
                        if (p.Value.Type != JTokenType.Boolean) throw error(key, "must be true or false.");
                        transposed = (bool)p.Value;
                        break;
                    case "conditions":
                        if (!(p.Value is JArray arr) || arr.Count == 0) throw error(key, "must be a non-empty list of conditions (all must hold).");
                        conditions = new List<MatchCondition>();
                        for (var i = 0; i < arr.Count; i++) conditions.Add(ParseCondition(arr[i], key + "[" + i + "]", error));
                        break;
                    default:
                        throw error(key, "is not a rule key; use name, allowTransposedNames, conditions.");
                }
            }
            if (name == null) throw error(at + ".name", "is missing.");
            if (conditions == null) throw error(at + ".conditions", "is missing.");
            return new MatchRule(name, conditions, transposed);
        }

        private static MatchCondition ParseCondition(JToken token, string at, Func<string, string, ConfigurationException> error)
        {
            if (!(token is JObject o)) throw error(at, "must be an object with field and method.");
            string? field = null;
            MatchMethod? method = null;
            double threshold = 100;
            var characters = 0;
            var matchBlank = false;
            foreach (var p in o.Properties())
            {
                var key = at + "." + p.Name;
                switch (p.Name)
                {
                    case "field":
                        if (p.Value.Type != JTokenType.String || !IsCustomFieldName((string)p.Value!))
                            throw error(key, $"must be one of {string.Join(", ", Enum.GetNames(typeof(MatchField)))} or a custom field declared under 'fields'.");
                        field = (string)p.Value!;
                        break;
                    case "method":
                        if (p.Value.Type != JTokenType.String || !Enum.TryParse<MatchMethod>((string)p.Value!, false, out var m) || !Enum.IsDefined(typeof(MatchMethod), m))
                            throw error(key, $"must be one of {string.Join(", ", Enum.GetNames(typeof(MatchMethod)))}.");
                        method = m;
                        break;
                    case "threshold":
                        if ((p.Value.Type != JTokenType.Integer && p.Value.Type != JTokenType.Float) || (double)p.Value < 0 || (double)p.Value > 100) throw error(key, "must be a number from 0 to 100.");
                        threshold = (double)p.Value;
                        break;
                    case "characters":
                        if (p.Value.Type != JTokenType.Integer || (int)p.Value < 1 || (int)p.Value > 100) throw error(key, "must be a whole number from 1 to 100.");
                        characters = (int)p.Value;
                        break;
                    case "matchBlank":
                        if (p.Value.Type != JTokenType.Boolean) throw error(key, "must be true or false.");
                        matchBlank = (bool)p.Value;
                        break;
                    default:
                        throw error(key, "is not a condition key; use field, method, threshold, characters, matchBlank.");
                }
            }
            if (field == null) throw error(at + ".field", "is missing.");
            if (method == null) throw error(at + ".method", "is missing.");
            var needsN = method == MatchMethod.SameFirstCharacters || method == MatchMethod.SameLastCharacters;
            if (needsN && characters == 0) throw error(at + ".characters", $"is missing: {method} needs the number of characters.");
            if (!needsN && characters != 0) throw error(at + ".characters", $"applies only to SameFirstCharacters and SameLastCharacters, not {method}.");
            return new MatchCondition(field, method.Value, threshold, characters, matchBlank);
        }

        private static bool IsCustomFieldName(string name) =>
            name.Length > 0 && name.Length <= 200 && (char.IsLetter(name[0]) || name[0] == '_') && name.All(ch => char.IsLetterOrDigit(ch) || ch == '_' || ch == '.' || ch == '@');
    }
}
