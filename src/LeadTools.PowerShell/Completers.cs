using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using LeadTools.Core.Records;
using LeadTools.Core.Text;

namespace LeadTools.PowerShell
{
    /// <summary>Tab completion of object type names (the standard Salesforce objects).</summary>
    public sealed class ObjectTypeCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Complete(ObjectTypes.Standard, wordToComplete);

        internal static IEnumerable<CompletionResult> Complete(IEnumerable<string> values, string word) =>
            values.Where(v => v.StartsWith(word ?? string.Empty, StringComparison.OrdinalIgnoreCase))
                  .Select(v => new CompletionResult(v, v, CompletionResultType.ParameterValue, v));
    }

    /// <summary>Tab completion of encoding names.</summary>
    public sealed class EncodingCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            ObjectTypeCompleter.Complete(TextEncodings.Names, wordToComplete);
    }
}
