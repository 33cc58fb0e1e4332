{{- define "mcp-openshift.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "mcp-openshift.fullname" -}}
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

{{- define "mcp-openshift.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "mcp-openshift.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mcp-openshift.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "mcp-openshift.labels" -}}
helm.sh/chart: {{ include "mcp-openshift.chart" . }}
{{ include "mcp-openshift.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: pipeline-agent
{{- end }}

{{- define "mcp-openshift.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "mcp-openshift.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The only permissions the server gets. */}}
{{- define "mcp-openshift.rules" -}}
- apiGroups: [""]
  resources: ["pods", "pods/log", "events"]
  verbs: ["get", "list"{{ if .Values.rbac.watch }}, "watch"{{ end }}]
- apiGroups: ["events.k8s.io"]
  resources: ["events"]
  verbs: ["get", "list"{{ if .Values.rbac.watch }}, "watch"{{ end }}]
{{- end }}
