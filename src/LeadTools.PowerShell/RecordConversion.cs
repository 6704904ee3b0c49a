using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using LeadTools.Core.Records;
using Newtonsoft.Json.Linq;

namespace LeadTools.PowerShell
{
    /// <summary>
    /// Records cross into PowerShell as real PSCustomObjects (one note property per field, in order), with the
    /// type names <c>LeadTools.CrmRecord#&lt;ObjectType&gt;</c> and <c>LeadTools.CrmRecord</c>; they come back from any
    /// PSCustomObject, hashtable or .NET object.
    /// </summary>
    internal static class RecordConversion
    {
        internal const string TypeName = "LeadTools.CrmRecord";
        private const string TypePrefix = TypeName + "#";

        /// <summary>A record as a PSCustomObject.</summary>
        public static PSObject ToPSObject(CrmRecord record)
        {
            var pso = new PSObject();
            pso.TypeNames.Insert(0, TypeName);
            if (record.ObjectType != null) pso.TypeNames.Insert(0, TypePrefix + record.ObjectType);
            var properties = pso.Properties;
            for (var i = 0; i < record.Count; i++)
            {
                properties.Add(new PSNoteProperty(record.NameAt(i), ToPSValue(record.ValueAt(i))));
            }
            return pso;
        }

        private static object? ToPSValue(object? value)
        {
            switch (value)
            {
                case JObject obj:
                    var pso = new PSObject();
                    foreach (var p in obj.Properties()) pso.Properties.Add(new PSNoteProperty(p.Name, ToPSValue(p.Value)));
                    return pso;
                case JArray array:
                    var items = new object?[array.Count];
                    for (var i = 0; i < items.Length; i++) items[i] = ToPSValue(array[i]);
                    return items;
                case JValue v:
                    return v.Value;
                default:
                    return value;
            }
        }

        /// <summary>The object type a PowerShell object says it is (LeadTools type name, attributes.type or an ObjectType property).</summary>
        public static string? ObjectTypeOf(PSObject pso)
        {
            foreach (var name in pso.TypeNames)
            {
                var at = name.IndexOf(TypePrefix, StringComparison.Ordinal);
                if (at >= 0) return name.Substring(at + TypePrefix.Length);
            }
            return null;
        }

        /// <summary>
        /// Turns a pipeline object into a record; null when it has no properties to speak of (a string, a number).
        /// </summary>
        public static CrmRecord? ToRecord(object? input, string? defaultObjectType)
        {
            if (input == null) return null;
            var pso = input as PSObject;
            var baseObject = pso?.BaseObject ?? input;
            CrmRecord? record;
            switch (baseObject)
            {
                case CrmRecord existing:
                    return existing;
                case IDictionary dictionary:
                    record = new CrmRecord(null, dictionary.Count);
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        var key = entry.Key?.ToString();
                        if (!string.IsNullOrEmpty(key)) record.Set(key!, FromPSValue(entry.Value));
                    }
                    break;
                case string _:
                case ValueType _:
                    return null;
                default:
                    pso ??= PSObject.AsPSObject(input);
                    record = new CrmRecord();
                    foreach (var property in pso.Properties)
                    {
                        if (!property.IsGettable) continue;
                        object? value;
                        try
                        {
                            value = property.Value;
                        }
                        catch (GetValueException)
                        {
                            continue;
                        }
                        record.Set(property.Name, FromPSValue(value));
                    }
                    if (record.Count == 0) return null;
                    break;
            }
            record.ObjectType = (pso != null ? ObjectTypeOf(pso) : null)
                ?? ((record["attributes"] as JObject)?["type"] as JValue)?.Value as string
                ?? record["ObjectType"] as string
                ?? defaultObjectType
                ?? ObjectTypes.FromSalesforceId(record.GetString("Id"));
            return record;
        }

        private static object? FromPSValue(object? value)
        {
            switch (value)
            {
                case null:
                    return null;
                case PSObject pso when pso.BaseObject is PSCustomObject:
                    var obj = new JObject();
                    foreach (var p in pso.Properties)
                    {
                        if (p.IsGettable) obj[p.Name] = ToToken(FromPSValue(p.Value));
                    }
                    return obj;
                case PSObject pso:
                    return FromPSValue(pso.BaseObject);
                case string _:
                case bool _:
                case long _:
                case int _:
                case decimal _:
                case double _:
                case DateTime _:
                case DateTimeOffset _:
                case JToken _:
                    return value;
                case float f:
                    return (double)f;
                case short _:
                case byte _:
                case sbyte _:
                case ushort _:
                case uint _:
                    return Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
                case Enum e:
                    return e.ToString();
                case IDictionary dictionary:
                    var dict = new JObject();
                    foreach (DictionaryEntry entry in dictionary) dict[entry.Key?.ToString() ?? string.Empty] = ToToken(FromPSValue(entry.Value));
                    return dict;
                case IEnumerable enumerable:
                    var array = new JArray();
                    foreach (var item in enumerable) array.Add(ToToken(FromPSValue(item)));
                    return array;
                default:
                    return value.ToString();
            }
        }

        private static JToken ToToken(object? value) => value switch
        {
            JToken token => token,
            DateTime dt => new JValue(RecordValue.FormatDateTime(dt)),
            DateTimeOffset dto => new JValue(RecordValue.ToText(dto)),
            _ => new JValue(value),
        };
    }
}
