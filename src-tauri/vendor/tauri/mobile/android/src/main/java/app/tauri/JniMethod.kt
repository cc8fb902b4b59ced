// Copyright 2019-2024 Tauri Programme within The Commons Conservancy
// SPDX-License-Identifier: Apache-2.0
// SPDX-License-Identifier: MIT

package app.tauri

@Retention(AnnotationRetention.RUNTIME)
internal annotation class JniMethod
