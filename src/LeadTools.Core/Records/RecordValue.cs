using System;
using System.Globalization;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Records
{
    /// <summary>Conversions of field values to text, shared by readers, writers and matching.</summary>
    public static class RecordValue
    {
        /// <summary>The ISO-8601 UTC form Salesforce's Bulk API and Data Loader take.</summary>
        public const string UtcDateTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

        /// <summary>Text of a scalar value (null for null and nested values).</summary>
        public static string? ToText(object? value)
        {
            switch (value)
            {
                case null: return null;
                case string s: return s;
                case bool b: return b ? "true" : "false";
                case DateTime dt: return FormatDateTime(dt);
                case DateTimeOffset dto: return dto.UtcDateTime.ToString(UtcDateTimeFormat, CultureInfo.InvariantCulture);
                case JValue jv: return ToText(jv.Value);
                case JToken _: return null;
                case double d: return d.ToString("R", CultureInfo.InvariantCulture);
                case float f: return f.ToString("R", CultureInfo.InvariantCulture);
                case IFormattable f: return f.ToString(null, CultureInfo.InvariantCulture);
                default: return value.ToString();
            }
        }

        /// <summary>Text of a value usable as an id: strings and numbers; null for anything else.</summary>
        public static string? ToScalarText(object? value)
        {
            switch (value)
            {
                case string s: return s.Length == 0 ? null : s;
                case long _:
                case int _:
                case decimal _:
                    return ToText(value);
                case JValue jv: return ToScalarText(jv.Value);
                default: return null;
            }
        }

        /// <summary>True for values that are blank for CRM purposes: null, empty or white-space text.</summary>
        public static bool IsBlank(object? value) => value switch
        {
            null => true,
            string s => string.IsNullOrWhiteSpace(s),
            JValue jv => IsBlank(jv.Value),
            _ => false,
        };

        /// <summary>Formats a date-time as ISO-8601 UTC (local and unspecified times are taken as local).</summary>
        public static string FormatDateTime(DateTime value)
        {
            var utc = value.Kind == DateTimeKind.Utc ? value : value.ToUniversalTime();
            return utc.ToString(UtcDateTimeFormat, CultureInfo.InvariantCulture);
        }
    }
}
