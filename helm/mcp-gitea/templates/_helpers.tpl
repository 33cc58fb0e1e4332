{{- define "mcp-gitea.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "mcp-gitea.fullname" -}}
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

{{- define "mcp-gitea.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "mcp-gitea.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mcp-gitea.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "mcp-gitea.labels" -}}
helm.sh/chart: {{ include "mcp-gitea.chart" . }}
{{ include "mcp-gitea.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: pipeline-agent
{{- end }}

{{- define "mcp-gitea.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "mcp-gitea.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "mcp-gitea.secretName" -}}
{{- default (include "mcp-gitea.fullname" .) .Values.gitea.existingSecret }}
{{- end }}

{{- define "mcp-gitea.secretKey" -}}
{{- if .Values.gitea.existingSecret }}{{ .Values.gitea.existingSecretKey }}{{ else }}token{{ end }}
{{- end }}
