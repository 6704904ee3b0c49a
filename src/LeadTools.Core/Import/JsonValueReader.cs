using System;
using LeadTools.Core.Records;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Import
{
    /// <summary>Reads JSON values off a streaming <see cref="JsonTextReader"/> into record fields, with a nesting limit.</summary>
    internal static class JsonValueReader
    {
        /// <summary>A reader set up the way every LeadTools JSON read needs: no date guessing, exact decimals, no depth limit of its own.</summary>
        public static JsonTextReader Create(System.IO.TextReader text, bool multipleContent)
        {
            return new JsonTextReader(text)
            {
                DateParseHandling = DateParseHandling.None,
                FloatParseHandling = FloatParseHandling.Decimal,
                MaxDepth = null,
                SupportMultipleContent = multipleContent,
                PropertyNameTable = new InterningNameTable(),
                CloseInput = false,
            };
        }

        /// <summary>
        /// Property names shared by every record of a file: the reader hands out one string per distinct name instead of a
        /// new one per property (less allocation), and records of one shape have reference-equal names, which the
        /// duplicate-field check relies on to stay cheap. At most 4,096 names are kept, so a file of endless distinct names
        /// cannot grow the table without limit.
        /// </summary>
        internal sealed class InterningNameTable : JsonNameTable
        {
            private const int MaxNames = 4096;
            private readonly DefaultJsonNameTable _names = new DefaultJsonNameTable();
            private int _count;

            public override string? Get(char[] key, int start, int length)
            {
                var name = _names.Get(key, start, length);
                if (name != null) return name;
                if (_count >= MaxNames) return new string(key, start, length);
                _count++;
                return _names.Add(new string(key, start, length));
            }
        }

        /// <summary>Thrown when a value nests deeper than allowed; the record is skipped, the reader resynchronised.</summary>
        internal sealed class TooDeepException : System.Exception
        {
            public TooDeepException(string path) : base(path) { }
        }

        /// <summary>
        /// Reads the object at the reader's StartObject into a record. Nested values become <see cref="JToken"/>s.
        /// On <see cref="TooDeepException"/> the caller resynchronises with <see cref="SkipToEndOf"/>.
        /// </summary>
        public static CrmRecord ReadRecord(JsonTextReader reader, int maxDepth, int capacity = 8)
        {
            var record = new CrmRecord(null, capacity);
            while (Next(reader) && reader.TokenType == JsonToken.PropertyName)
            {
                var name = (string)reader.Value!;
                Next(reader);
                record.Add(name, reader.TokenType == JsonToken.StartObject && string.Equals(name, "attributes", StringComparison.Ordinal)
                    ? ReadAttributes(reader, 2, maxDepth)
                    : ReadValue(reader, 1, maxDepth));
            }
            return record;
        }

        /// <summary>
        /// Reads Salesforce's per-record <c>attributes</c> object as a <see cref="FlatJsonObject"/> while its values are
        /// scalars (they always are: type, url, referenceId); at the first nested value it goes on as
        /// <see cref="ReadContainer"/> does. Same tokens consumed, same depth check, same JObject in the end.
        /// </summary>
        private static object ReadAttributes(JsonTextReader reader, int depth, int maxDepth)
        {
            if (depth > maxDepth)
            {
                throw new TooDeepException(reader.Path);
            }
            var flat = new FlatJsonObject();
            while (Next(reader) && reader.TokenType == JsonToken.PropertyName)
            {
                var name = (string)reader.Value!;
                Next(reader);
                if (reader.TokenType == JsonToken.StartObject || reader.TokenType == JsonToken.StartArray)
                {
                    var obj = flat.ToJObject();
                    obj[name] = ToToken(ReadValue(reader, depth, maxDepth));
                    ReadProperties(reader, obj, depth, maxDepth);
                    return obj;
                }
                flat.Add(name, ReadValue(reader, depth, maxDepth));
            }
            return flat;
        }

        /// <summary>Reads the value at the reader's current token.</summary>
        public static object? ReadValue(JsonTextReader reader, int depth, int maxDepth)
        {
            switch (reader.TokenType)
            {
                case JsonToken.StartObject:
                case JsonToken.StartArray:
                    return ReadContainer(reader, depth + 1, maxDepth);
                case JsonToken.Undefined:
                    return null;
                default:
                    return reader.Value;
            }
        }

        /// <summary>Reads the whole value at the current token as a <see cref="JToken"/> (for small envelopes).</summary>
        public static JToken ReadToken(JsonTextReader reader, int maxDepth)
        {
            var v = ReadValue(reader, 0, maxDepth);
            return v as JToken ?? new JValue(v);
        }

        /// <summary>Moves the reader past the end of the container whose start token had depth <paramref name="depth"/>.</summary>
        public static void SkipToEndOf(JsonTextReader reader, int depth)
        {
            while ((reader.Depth > depth || (reader.TokenType != JsonToken.EndObject && reader.TokenType != JsonToken.EndArray)) && reader.Read())
            {
            }
        }

        /// <summary>Reads the next token; a premature end of input is a <see cref="JsonReaderException"/>.</summary>
        public static bool Next(JsonTextReader reader)
        {
            if (!reader.Read())
            {
                throw new JsonReaderException("Unexpected end of input.", reader.Path, reader.LineNumber, reader.LinePosition, null);
            }
            return true;
        }

        private static JToken ReadContainer(JsonTextReader reader, int depth, int maxDepth)
        {
            if (depth > maxDepth)
            {
                throw new TooDeepException(reader.Path);
            }
            if (reader.TokenType == JsonToken.StartArray)
            {
                var array = new JArray();
                while (Next(reader) && reader.TokenType != JsonToken.EndArray)
                {
                    array.Add(ToToken(ReadValue(reader, depth, maxDepth)));
                }
                return array;
            }
            var obj = new JObject();
            ReadProperties(reader, obj, depth, maxDepth);
            return obj;
        }

        private static void ReadProperties(JsonTextReader reader, JObject obj, int depth, int maxDepth)
        {
            while (Next(reader) && reader.TokenType == JsonToken.PropertyName)
            {
                var name = (string)reader.Value!;
                Next(reader);
                // Last duplicate wins inside nested objects, as JSON.parse does.
                obj[name] = ToToken(ReadValue(reader, depth, maxDepth));
            }
        }

        private static JToken ToToken(object? value) => value as JToken ?? new JValue(value);

        /// <summary>Turns a parsed JSON object into a record (fields in order, nested values kept as tokens).</summary>
        public static CrmRecord FromJObject(JObject obj)
        {
            var record = new CrmRecord(null, obj.Count);
            foreach (var p in obj.Properties())
            {
                record.Add(p.Name, p.Value is JValue v ? v.Value : p.Value);
            }
            return record;
        }
    }
}
