using System;
using System.Linq;
using System.Xml;
using System.Xml.Linq;
using LeadTools.Core.Records;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Funnel
{
    /// <summary>What appending a membership to an opportunity's archive field gave.</summary>
    public sealed class ArchiveAppend
    {
        internal ArchiveAppend(string? text, bool changed, string format, string? warning)
        {
            Text = text;
            Changed = changed;
            Format = format;
            Warning = warning;
        }

        /// <summary>The field's new text (the old text when nothing changed).</summary>
        public string? Text { get; }
        /// <summary>True when the field must be written.</summary>
        public bool Changed { get; }
        /// <summary>Xml, Json, or Unreadable.</summary>
        public string Format { get; }
        /// <summary>Why the field was left as it was, when it was (the membership is still in the journal).</summary>
        public string? Warning { get; }
    }

    /// <summary>
    /// The opportunity archive field (<c>FCRM__FCR_Admin_CMArchive__c</c>, a Long Text Area of 32,768 characters). Full
    /// Circle keeps an XML copy of the campaign member there (seed 001: "We keep a copy of this campaign member in XML
    /// format in the opportunity AdminCMArcive field"); LeadTools reads the field in the format it already holds and
    /// appends in that format, never replacing what is there. A blank field is written in the configured format (XML by
    /// default). A field it cannot read, or an append that would not fit, leaves the field untouched with a warning:
    /// the membership is in the merge journal either way.
    /// </summary>
    public static class MembershipArchive
    {
        /// <summary>The field's length in Salesforce (Long Text Area 32768).</summary>
        public const int MaxLength = 32768;

        /// <summary>Appends <paramref name="member"/> to the archive text <paramref name="existing"/>.</summary>
        public static ArchiveAppend Append(string? existing, CrmRecord member, ArchiveFormat blankFormat)
        {
            var text = existing?.Trim();
            string format;
            string? result;
            if (string.IsNullOrEmpty(text))
            {
                format = blankFormat.ToString();
                result = blankFormat == ArchiveFormat.Xml ? NewXml(member) : new JArray(ToJson(member)).ToString(Newtonsoft.Json.Formatting.None);
            }
            else if (text![0] == '<')
            {
                format = "Xml";
                XDocument doc;
                try
                {
                    doc = XDocument.Parse(text, LoadOptions.PreserveWhitespace);
                }
                catch (XmlException ex)
                {
                    return new ArchiveAppend(existing, false, "Unreadable", $"the archive field holds XML that cannot be read ({ex.Message}); it is left as it is and membership {member.Id} is kept in the journal only.");
                }
                if (HoldsMember(doc.Root!, member.Id)) return new ArchiveAppend(existing, false, format, null);
                var root = doc.Root!;
                if (IsSingleMember(root))
                {
                    // One archived member (Full Circle's own copy): keep it unchanged inside a list and add ours after it.
                    var list = new XElement("CampaignMembers", new XElement(root), ToXml(member, root.Name));
                    result = list.ToString(SaveOptions.DisableFormatting);
                }
                else
                {
                    var name = root.Elements().FirstOrDefault()?.Name ?? XName.Get("CampaignMember");
                    root.Add(ToXml(member, name));
                    result = root.ToString(SaveOptions.DisableFormatting);
                }
            }
            else if (text[0] == '[' || text[0] == '{')
            {
                format = "Json";
                JToken token;
                try
                {
                    token = JToken.Parse(text);
                }
                catch (JsonException ex)
                {
                    return new ArchiveAppend(existing, false, "Unreadable", $"the archive field holds JSON that cannot be read ({ex.Message}); it is left as it is and membership {member.Id} is kept in the journal only.");
                }
                var array = token as JArray ?? new JArray(token);
                if (array.OfType<JObject>().Any(o => string.Equals((string?)o["Id"], member.Id, StringComparison.Ordinal))) return new ArchiveAppend(existing, false, format, null);
                array.Add(ToJson(member));
                result = array.ToString(Newtonsoft.Json.Formatting.None);
            }
            else
            {
                return new ArchiveAppend(existing, false, "Unreadable", $"the archive field holds text that is neither XML nor JSON; it is left as it is and membership {member.Id} is kept in the journal only.");
            }
            if (result.Length > MaxLength)
            {
                return new ArchiveAppend(existing, false, format, $"appending membership {member.Id} would make the archive field {result.Length:N0} characters, more than its {MaxLength:N0}; it is left as it is and the membership is kept in the journal only.");
            }
            return new ArchiveAppend(result, true, format, null);
        }

        private static string NewXml(CrmRecord member) => new XElement("CampaignMembers", ToXml(member, "CampaignMember")).ToString(SaveOptions.DisableFormatting);

        private static bool IsSingleMember(XElement root) => root.Elements().Any() && root.Elements().All(e => !e.HasElements);

        private static bool HoldsMember(XElement root, string? id)
        {
            if (id == null) return false;
            return root.DescendantsAndSelf().Any(e => string.Equals(e.Name.LocalName, "Id", StringComparison.OrdinalIgnoreCase) && !e.HasElements && string.Equals(e.Value.Trim(), id, StringComparison.Ordinal));
        }

        private static XElement ToXml(CrmRecord member, XName name)
        {
            var e = new XElement(name);
            foreach (var field in member)
            {
                if (string.Equals(field.Key, "attributes", StringComparison.OrdinalIgnoreCase) || field.Value == null) continue;
                e.Add(new XElement(XmlConvert.EncodeLocalName(field.Key), RecordValue.ToText(field.Value)));
            }
            return e;
        }

        private static JObject ToJson(CrmRecord member)
        {
            var o = new JObject();
            foreach (var field in member)
            {
                if (string.Equals(field.Key, "attributes", StringComparison.OrdinalIgnoreCase)) continue;
                o[field.Key] = field.Value == null ? JValue.CreateNull() : field.Value is JToken t ? t.DeepClone() : new JValue(RecordValue.ToText(field.Value));
            }
            return o;
        }
    }
}
