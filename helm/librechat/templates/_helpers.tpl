{{- define "librechat.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "librechat.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "librechat.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "librechat.selectorLabels" -}}
app.kubernetes.io/name: {{ include "librechat.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "librechat.labels" -}}
helm.sh/chart: {{ include "librechat.chart" . }}
{{ include "librechat.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: pipeline-agent
{{- end }}

{{- define "librechat.secretName" -}}
{{- default (include "librechat.fullname" .) .Values.existingSecret }}
{{- end }}

{{/* librechat.yaml: LiteLLM as a custom endpoint, the agent's two MCP servers. */}}
{{- define "librechat.config" -}}
{{- $mcp := dict }}
{{- if .Values.mcp.openshift.enabled }}
{{- $_ := set $mcp "openshift" (dict "type" .Values.mcp.openshift.type "url" .Values.mcp.openshift.url "timeout" .Values.mcp.timeoutMs) }}
{{- end }}
{{- if .Values.mcp.gitea.enabled }}
{{- $_ := set $mcp "gitea" (dict "type" .Values.mcp.gitea.type "url" .Values.mcp.gitea.url "timeout" .Values.mcp.timeoutMs) }}
{{- end }}
{{- $litellm := dict
      "name" "LiteLLM"
      "apiKey" "${LITELLM_API_KEY}"
      "baseURL" .Values.litellm.baseURL
      "models" (dict "default" .Values.litellm.models "fetch" .Values.litellm.fetchModels)
      "titleConvo" true
      "titleModel" "current_model"
      "modelDisplayLabel" .Values.litellm.displayLabel }}
{{- $config := dict
      "version" .Values.configVersion
      "cache" true
      "endpoints" (dict "custom" (list $litellm))
      "mcpSettings" (dict "allowedDomains" .Values.mcp.allowedDomains)
      "mcpServers" $mcp }}
{{- toYaml (mergeOverwrite $config .Values.extraConfig) }}
{{- end }}
