using System;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Text;
using LeadTools.Core.Records;
using Newtonsoft.Json.Linq;

namespace LeadTools.PowerShell
{
    /// <summary>
    /// A record held compactly (<c>Import-CrmRecord -Compact</c>): the field names shared by every record of the same
    /// layout, the values encoded in one byte array. PowerShell sees its fields as properties through
    /// <see cref="CompactCrmRecordAdapter"/> (registered in LeadTools.types.ps1xml), so <c>$r.Email</c>, Where-Object,
    /// Select-Object, Sort-Object, Export-Csv, ConvertTo-Json and Format-Table work as with a PSCustomObject.
    /// It deliberately has no public .NET members of its own: ConvertTo-Json would write them.
    /// </summary>
    public sealed class CompactCrmRecord
    {
        internal CompactCrmRecord(PackedRecord packed)
        {
            Packed = packed;
        }

        internal PackedRecord Packed { get; }

        /// <summary>The value a script sees for the field at a position (nested objects as PSCustomObjects, kept so edits stick).</summary>
        internal object? GetValue(int index)
        {
            var value = Packed.ValueAt(index);
            if (!(value is JToken)) return value;
            var converted = RecordConversion.ToPSValue(value);
            Packed.SetAt(index, converted);
            return converted;
        }

        /// <summary>Written as a PSCustomObject is: @{Name=value; ...}.</summary>
        public override string ToString()
        {
            var text = new StringBuilder("@{");
            for (var i = 0; i < Packed.Count; i++)
            {
                if (i > 0) text.Append("; ");
                text.Append(Packed.NameAt(i)).Append('=');
                // As PowerShell writes a PSCustomObject: a nested one as nothing, an array by its type name.
                var value = GetValue(i);
                if (value is PSObject pso && pso.BaseObject is PSCustomObject) continue;
                text.Append(value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value?.ToString());
            }
            return text.Append('}').ToString();
        }
    }

    /// <summary>Makes a <see cref="CompactCrmRecord"/>'s fields its properties, in file order, named as exported.</summary>
    public sealed class CompactCrmRecordAdapter : PSPropertyAdapter
    {
        /// <inheritdoc />
        public override Collection<PSAdaptedProperty> GetProperties(object baseObject)
        {
            var record = (CompactCrmRecord)baseObject;
            var properties = new Collection<PSAdaptedProperty>();
            for (var i = 0; i < record.Packed.Count; i++) properties.Add(new PSAdaptedProperty(record.Packed.NameAt(i), i));
            return properties;
        }

        /// <inheritdoc />
        public override PSAdaptedProperty? GetProperty(object baseObject, string propertyName)
        {
            var record = (CompactCrmRecord)baseObject;
            var i = record.Packed.IndexOf(propertyName);
            return i < 0 ? null : new PSAdaptedProperty(record.Packed.NameAt(i), i);
        }

        /// <inheritdoc />
        public override bool IsGettable(PSAdaptedProperty adaptedProperty) => true;

        /// <inheritdoc />
        public override bool IsSettable(PSAdaptedProperty adaptedProperty) => true;

        /// <inheritdoc />
        public override object? GetPropertyValue(PSAdaptedProperty adaptedProperty) =>
            ((CompactCrmRecord)adaptedProperty.BaseObject).GetValue((int)adaptedProperty.Tag);

        /// <inheritdoc />
        public override void SetPropertyValue(PSAdaptedProperty adaptedProperty, object value) =>
            ((CompactCrmRecord)adaptedProperty.BaseObject).Packed.SetAt((int)adaptedProperty.Tag, value);

        /// <inheritdoc />
        public override string GetPropertyTypeName(PSAdaptedProperty adaptedProperty)
        {
            var value = ((CompactCrmRecord)adaptedProperty.BaseObject).GetValue((int)adaptedProperty.Tag);
            return (value is PSObject pso ? pso.BaseObject : value)?.GetType().FullName ?? typeof(object).FullName!;
        }

        /// <inheritdoc />
        public override Collection<string> GetTypeNameHierarchy(object baseObject) =>
            new Collection<string>(RecordConversion.TypeNamesFor(((CompactCrmRecord)baseObject).Packed.ObjectType));
    }
}
