using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Linq.Expressions;
using System.Reflection;
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

        // PowerShell 7's PSObject(int instanceMemberCapacity), the constructor ConvertFrom-Json uses; null on 5.1.
        // new PSObject() files each object's note properties in an engine-wide ConditionalWeakTable keyed by the
        // object (only ever looked up by that same object, which also holds them in a field): a GC handle per
        // object that every collection walks, which made a 1M-record pipeline grow much faster than linearly.
        // The capacity constructor keeps them in the field alone; the object is otherwise the same PSCustomObject.
        private static readonly Func<int, PSObject>? NewWithCapacity = FindCapacityConstructor();

        private static Func<int, PSObject>? FindCapacityConstructor()
        {
            try
            {
                var constructor = typeof(PSObject).GetConstructor(new[] { typeof(int) });
                if (constructor == null) return null;
                var capacity = Expression.Parameter(typeof(int), "capacity");
                return Expression.Lambda<Func<int, PSObject>>(Expression.New(constructor, capacity), capacity).Compile();
            }
            catch (Exception)
            {
                return null;
            }
        }

        /// <summary>An empty PSCustomObject for <paramref name="capacity"/> note properties.</summary>
        internal static PSObject NewCustomObject(int capacity) => NewWithCapacity != null ? NewWithCapacity(capacity) : new PSObject();

        /// <summary>True when the engine has the capacity constructor (PowerShell 7).</summary>
        internal static bool HasCapacityConstructor => NewWithCapacity != null;

        // Type names have the same problem: the first change through PSObject.TypeNames copies the names into a
        // second engine-wide ConditionalWeakTable keyed by the object. The engine reads an object's type names
        // from its own _typeNames field, which is where that copy also goes; on PowerShell 7 we set the field
        // directly to the same kind of (writable) collection. Checked once on a sample against an object named
        // the public way; when anything differs or is missing (another engine version, Windows PowerShell), the
        // public way is used.
        private static readonly string[] CustomObjectTypeNames = new PSObject().TypeNames.ToArray();
        private static readonly Action<PSObject, IEnumerable<string>>? SetTypeNamesField = FindTypeNamesSetter();
        private static Tuple<string, string[]>? _lastTypeNames;

        private static Action<PSObject, IEnumerable<string>>? FindTypeNamesSetter()
        {
            try
            {
                var field = typeof(PSObject).GetField("_typeNames", BindingFlags.Instance | BindingFlags.NonPublic);
                var constructor = field?.FieldType.GetConstructor(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, null, new[] { typeof(IEnumerable<string>) }, null);
                if (field == null || constructor == null || NewWithCapacity == null) return null;
                var target = Expression.Parameter(typeof(PSObject), "target");
                var names = Expression.Parameter(typeof(IEnumerable<string>), "names");
                var setter = Expression.Lambda<Action<PSObject, IEnumerable<string>>>(
                    Expression.Assign(Expression.Field(target, field), Expression.New(constructor, names)), target, names).Compile();

                var expected = new PSObject();
                expected.TypeNames.Insert(0, TypeName);
                expected.TypeNames.Insert(0, TypePrefix + "Lead");
                // Objects share the names array they are made from: each must get its own copy.
                var shared = expected.TypeNames.ToArray();
                var sample = NewWithCapacity(1);
                var other = NewWithCapacity(1);
                setter(sample, shared);
                setter(other, shared);
                sample.Properties.Add(new PSNoteProperty("Id", "1"));
                var sampleNames = sample.TypeNames;
                if (!sampleNames.SequenceEqual(expected.TypeNames) || ((ICollection<string>)sampleNames).IsReadOnly) return null;
                sampleNames.Insert(0, "Check");
                if (sample.TypeNames[0] != "Check" || sample.TypeNames.Count != expected.TypeNames.Count + 1) return null;
                if (!other.TypeNames.SequenceEqual(expected.TypeNames) || !shared.SequenceEqual(expected.TypeNames)) return null;
                return setter;
            }
            catch (Exception)
            {
                return null;
            }
        }

        /// <summary>True when type names are set without the engine's table (PowerShell 7).</summary>
        internal static bool SetsTypeNamesDirectly => SetTypeNamesField != null;

        /// <summary>The record's type names: LeadTools.CrmRecord#&lt;ObjectType&gt;, LeadTools.CrmRecord, then PSCustomObject's.</summary>
        internal static string[] TypeNamesFor(string? objectType)
        {
            // A file holds one type: build its names once (the setter copies them into each object).
            var last = _lastTypeNames;
            if (objectType != null && last != null && string.Equals(objectType, last.Item1, StringComparison.Ordinal)) return last.Item2;
            var names = new List<string>(CustomObjectTypeNames.Length + 2);
            if (objectType != null) names.Add(TypePrefix + objectType);
            names.Add(TypeName);
            names.AddRange(CustomObjectTypeNames);
            var array = names.ToArray();
            if (objectType != null) _lastTypeNames = Tuple.Create(objectType, array);
            return array;
        }

        /// <summary>A record as a PSCustomObject.</summary>
        public static PSObject ToPSObject(CrmRecord record)
        {
            var pso = NewCustomObject(record.Count);
            if (SetTypeNamesField != null)
            {
                SetTypeNamesField(pso, TypeNamesFor(record.ObjectType));
            }
            else
            {
                pso.TypeNames.Insert(0, TypeName);
                if (record.ObjectType != null) pso.TypeNames.Insert(0, TypePrefix + record.ObjectType);
            }
            var properties = pso.Properties;
            for (var i = 0; i < record.Count; i++)
            {
                properties.Add(new PSNoteProperty(record.NameAt(i), ToPSValue(record.ValueAt(i))));
            }
            return pso;
        }

        internal static object? ToPSValue(object? value)
        {
            switch (value)
            {
                case JObject obj:
                    var pso = NewCustomObject(obj.Count);
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
