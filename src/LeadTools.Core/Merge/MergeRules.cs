using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using LeadTools.Core.Conversion;
using LeadTools.Core.Records;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Merge
{
    /// <summary>How a field's surviving value is chosen (SPEC 5.1).</summary>
    public enum FieldRule
    {
        /// <summary>The survivor's value (the default).</summary>
        KeepSurvivor,
        /// <summary>The survivor's value, or the first non-blank value of the others (in survivor-rule order) when it is blank.</summary>
        FillBlanks,
        /// <summary>The value of the most recently modified record that has one.</summary>
        Newest,
        /// <summary>The value of the oldest record that has one.</summary>
        Oldest,
        /// <summary>The largest value (numbers numerically, dates and text ordinally).</summary>
        Largest,
        /// <summary>The smallest value.</summary>
        Smallest,
        /// <summary>The union of multi-select picklist values (semicolon-separated), survivor's first.</summary>
        Union,
    }

    /// <summary>One ordered survivor rule.</summary>
    public sealed class SurvivorRule
    {
        private SurvivorRule(string kind, string? field, string? value)
        {
            Kind = kind;
            Field = field;
            Value = value;
        }

        /// <summary>OldestCreated, NewestModified, MostComplete, HasActiveResponse, RecordType, FieldValue.</summary>
        public string Kind { get; }
        /// <summary>The field of a FieldValue rule.</summary>
        public string? Field { get; }
        /// <summary>The record type id or field value wanted.</summary>
        public string? Value { get; }

        /// <summary>Parses "OldestCreated", "NewestModified", "MostComplete", "HasActiveResponse", "RecordType=012...", "FieldValue:Status=Working".</summary>
        public static SurvivorRule Parse(string text)
        {
            var t = text.Trim();
            var kinds = new[] { "OldestCreated", "NewestModified", "MostComplete", "HasActiveResponse" };
            var simple = kinds.FirstOrDefault(k => string.Equals(k, t, StringComparison.OrdinalIgnoreCase));
            if (simple != null) return new SurvivorRule(simple, null, null);
            if (t.StartsWith("RecordType=", StringComparison.OrdinalIgnoreCase)) return new SurvivorRule("RecordType", "RecordTypeId", t.Substring(11));
            if (t.StartsWith("FieldValue:", StringComparison.OrdinalIgnoreCase))
            {
                var rest = t.Substring(11);
                var eq = rest.IndexOf('=');
                if (eq > 0) return new SurvivorRule("FieldValue", rest.Substring(0, eq), rest.Substring(eq + 1));
            }
            throw new ConfigurationException($"'{text}' is not a survivor rule; use {string.Join(", ", kinds)}, RecordType=<id> or FieldValue:<Field>=<value>.", "survivorRules");
        }

        /// <inheritdoc />
        public override string ToString() => Kind switch
        {
            "RecordType" => "RecordType=" + Value,
            "FieldValue" => $"FieldValue:{Field}={Value}",
            _ => Kind,
        };
    }

    /// <summary>
    /// The merge rules: ordered survivor rules (with a deterministic tie-break: smallest id) and per-field rules.
    /// JSON file: <c>{ "schemaVersion": 1, "survivorRules": ["OldestCreated"], "fieldRules": { "Phone": "FillBlanks" }, "defaultFieldRule": "KeepSurvivor" }</c>.
    /// </summary>
    public sealed class MergeRules
    {
        /// <summary>Ordered survivor rules.</summary>
        public List<SurvivorRule> SurvivorRules { get; } = new List<SurvivorRule> { SurvivorRule.Parse("OldestCreated") };
        /// <summary>Field rules by field name (case-insensitive).</summary>
        public Dictionary<string, FieldRule> FieldRules { get; } = new Dictionary<string, FieldRule>(StringComparer.OrdinalIgnoreCase);
        /// <summary>The rule for fields not named.</summary>
        public FieldRule DefaultFieldRule { get; set; } = FieldRule.KeepSurvivor;

        /// <summary>The rule for a field.</summary>
        public FieldRule RuleFor(string field) => FieldRules.TryGetValue(field, out var r) ? r : DefaultFieldRule;

        /// <summary>Loads a rules file; errors name the file and the key.</summary>
        public static MergeRules Load(string path)
        {
            var root = JsonConfig.Load(path, "merge rules");
            var rules = new MergeRules();
            foreach (var p in root.Properties())
            {
                switch (p.Name)
                {
                    case "schemaVersion":
                        if (p.Value.Type != JTokenType.Integer || (int)p.Value != 1) throw new ConfigurationException($"{path}: 'schemaVersion' must be 1.", "schemaVersion");
                        break;
                    case "survivorRules":
                        if (!(p.Value is JArray list) || list.Count == 0) throw new ConfigurationException($"{path}: 'survivorRules' must be a non-empty list.", "survivorRules");
                        rules.SurvivorRules.Clear();
                        for (var i = 0; i < list.Count; i++)
                        {
                            if (list[i].Type != JTokenType.String) throw new ConfigurationException($"{path}: 'survivorRules[{i}]' must be text.", $"survivorRules[{i}]");
                            try
                            {
                                rules.SurvivorRules.Add(SurvivorRule.Parse((string)list[i]!));
                            }
                            catch (ConfigurationException ex)
                            {
                                throw new ConfigurationException($"{path}: 'survivorRules[{i}]': {ex.Message}", $"survivorRules[{i}]");
                            }
                        }
                        break;
                    case "fieldRules":
                        if (!(p.Value is JObject fields)) throw new ConfigurationException($"{path}: 'fieldRules' must be an object of field to rule.", "fieldRules");
                        foreach (var f in fields.Properties())
                        {
                            rules.FieldRules[f.Name] = ParseFieldRule(f.Value, $"{path}: 'fieldRules.{f.Name}'", "fieldRules." + f.Name);
                        }
                        break;
                    case "defaultFieldRule":
                        rules.DefaultFieldRule = ParseFieldRule(p.Value, $"{path}: 'defaultFieldRule'", "defaultFieldRule");
                        break;
                    default:
                        throw new ConfigurationException($"{path}: '{p.Name}' is not a merge rules setting (schemaVersion, survivorRules, fieldRules, defaultFieldRule).", p.Name);
                }
            }
            return rules;
        }

        /// <summary>Applies command-line rules over these: survivor rules replace the list; field rules (field to rule name) are added.</summary>
        public MergeRules With(IEnumerable<string>? survivorRules, System.Collections.IDictionary? fieldRules, FieldRule? defaultFieldRule = null)
        {
            if (survivorRules != null)
            {
                SurvivorRules.Clear();
                foreach (var s in survivorRules) SurvivorRules.Add(SurvivorRule.Parse(s));
            }
            if (fieldRules != null)
            {
                foreach (System.Collections.DictionaryEntry e in fieldRules)
                {
                    FieldRules[e.Key.ToString()!] = ParseFieldRule(e.Value?.ToString() ?? string.Empty, $"-FieldRule {e.Key}");
                }
            }
            if (defaultFieldRule.HasValue) DefaultFieldRule = defaultFieldRule.Value;
            return this;
        }

        /// <summary>A field rule from text.</summary>
        public static FieldRule ParseFieldRule(string text, string where) => ParseFieldRule(new JValue(text), where, where);

        private static FieldRule ParseFieldRule(JToken token, string where, string key)
        {
            if (token.Type == JTokenType.String && Enum.TryParse<FieldRule>((string)token!, true, out var rule) && Enum.IsDefined(typeof(FieldRule), rule)) return rule;
            throw new ConfigurationException($"{where} must be one of {string.Join(", ", Enum.GetNames(typeof(FieldRule)))}, not {token}.", key);
        }

        internal static int CompareValues(object? a, object? b)
        {
            if (a is IConvertible && b is IConvertible && IsNumber(a) && IsNumber(b))
            {
                return Convert.ToDecimal(a, CultureInfo.InvariantCulture).CompareTo(Convert.ToDecimal(b, CultureInfo.InvariantCulture));
            }
            var sa = RecordValue.ToText(a);
            var sb = RecordValue.ToText(b);
            if (decimal.TryParse(sa, NumberStyles.Float, CultureInfo.InvariantCulture, out var da) && decimal.TryParse(sb, NumberStyles.Float, CultureInfo.InvariantCulture, out var db)) return da.CompareTo(db);
            return string.CompareOrdinal(sa, sb);
        }

        private static bool IsNumber(object v) => v is long || v is int || v is decimal || v is double;
    }
}
