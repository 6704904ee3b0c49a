using System;
using System.Collections;
using System.Globalization;
using System.Management.Automation;
using LeadTools.Core.Conversion;
using LeadTools.Core.Funnel;
using Newtonsoft.Json.Linq;

namespace LeadTools.PowerShell
{
    /// <summary>A status configuration given as a hashtable or object (the keys of the JSON file), read through the same validation as the file.</summary>
    internal static class FunnelConfigObjects
    {
        /// <summary>The label errors use for a configuration that is not a file.</summary>
        public const string Source = "(status configuration object)";

        /// <summary>Parses a hashtable, dictionary or object; throws <see cref="ConfigurationException"/> naming the key.</summary>
        public static FunnelConfig Parse(object value)
        {
            var token = ToToken(value, "(top level)", 0);
            if (!(token is JObject root)) throw new ConfigurationException($"{Source}: the configuration must be a hashtable or object with the keys of the JSON file, not {token.Type}.", null);
            return FunnelConfig.Parse(root, Source);
        }

        /// <summary>True for values the transformation of -Config reads as a configuration object.</summary>
        public static bool IsConfigObject(object value) => value is IDictionary || (value is PSObject p && p.BaseObject is PSCustomObject);

        private static JToken ToToken(object? value, string key, int depth)
        {
            if (depth > 32) throw new ConfigurationException($"{Source}: '{key}': nested too deeply.", key);
            if (value is PSObject pso) value = pso.BaseObject is PSCustomObject ? pso : pso.BaseObject;
            switch (value)
            {
                case null:
                    return JValue.CreateNull();
                case string s:
                    return new JValue(s);
                case bool b:
                    return new JValue(b);
                case int or long or short or byte or sbyte or uint or ushort:
                    return new JValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                case double or float or decimal:
                    return new JValue(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                case JToken t:
                    return t.DeepClone();
                case IDictionary dict:
                    var o = new JObject();
                    foreach (DictionaryEntry e in dict)
                    {
                        var name = Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? string.Empty;
                        if (o.ContainsKey(name)) throw new ConfigurationException($"{Source}: '{name}' is given twice.", name);
                        o[name] = ToToken(e.Value, name, depth + 1);
                    }
                    return o;
                case PSObject custom:
                    var co = new JObject();
                    foreach (var prop in custom.Properties)
                    {
                        if (prop.MemberType != PSMemberTypes.NoteProperty) continue;
                        co[prop.Name] = ToToken(prop.Value, prop.Name, depth + 1);
                    }
                    return co;
                case IEnumerable list:
                    var a = new JArray();
                    foreach (var item in list) a.Add(ToToken(item, key, depth + 1));
                    return a;
                default:
                    throw new ConfigurationException($"{Source}: '{key}': a {value.GetType().Name} is not a configuration value (text, number, true/false, list or hashtable).", key);
            }
        }
    }
}
